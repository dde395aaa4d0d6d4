package org.recofilms.training;

import org.recofilms.training.evaluation.FullRankingMetrics;
import org.recofilms.training.evaluation.FullRankingProtocol;
import org.recofilms.training.evaluation.Scorers;

/** The evaluation steps of a training run that depend on the family. */
final class FamilyEvaluation {

    private FamilyEvaluation() {}

    /**
     * The full-ranking protocol for any family, reported as item-kNN's is (the model's metrics in
     * {@link FullRankingProtocol.Report#itemKnn()}, whatever the family), so that every family's metrics carry the
     * same names. Every family is evaluated as it is served: trained by the same trainer with the same parameters on
     * the split's raw training ratings (the held-out users' held-out rows removed), so its own minimum count and
     * positive threshold apply as in serving; scored with the same evaluator and baselines on {@code users}.
     */
    static FullRankingProtocol.Report fullRanking(
            Ratings ratings,
            ModelSpec spec,
            FullRankingProtocol.Config config,
            FullRankingProtocol.Users users,
            ProgressListener listener) {
        long t0 = System.nanoTime();
        FullRankingProtocol.Split split = FullRankingProtocol.split(ratings, config, listener);
        long splitMillis = (System.nanoTime() - t0) / 1_000_000;
        FullRankingProtocol.Report report = fullRanking(split, spec, users, config.parallelism(), listener);
        return new FullRankingProtocol.Report(
                report.itemKnn(),
                report.bayesianPopularity(),
                report.topPopularity(),
                report.model(),
                splitMillis,
                report.trainMillis(),
                report.scoreMillis());
    }

    /** The two popularity baselines on a split, the same for every model scored on it. */
    record Baselines(FullRankingMetrics bayesianPopularity, FullRankingMetrics topPopularity) {}

    /** Scores both baselines on {@code users} of {@code split}. */
    static Baselines baselines(
            FullRankingProtocol.Split split, FullRankingProtocol.Users users, int threads, ProgressListener listener) {
        FullRankingMetrics bayes = FullRankingProtocol.evaluate(
                split,
                users,
                Scorers.bayesianPopularity(BayesianPopularity.compute(split.trainingRatings()), split.catalogue()),
                threads,
                listener);
        FullRankingMetrics top =
                FullRankingProtocol.evaluate(split, users, Scorers.fixed(split.positiveCounts()), threads, listener);
        return new Baselines(bayes, top);
    }

    /** As above on a split already made, the baselines scored with the model. */
    static FullRankingProtocol.Report fullRanking(
            FullRankingProtocol.Split split,
            ModelSpec spec,
            FullRankingProtocol.Users users,
            int threads,
            ProgressListener listener) {
        long t0 = System.nanoTime();
        Baselines baselines = baselines(split, users, threads, listener);
        FullRankingProtocol.Report report = fullRanking(split, spec, users, baselines, threads, listener);
        return new FullRankingProtocol.Report(
                report.itemKnn(),
                report.bayesianPopularity(),
                report.topPopularity(),
                report.model(),
                0,
                report.trainMillis(),
                (System.nanoTime() - t0) / 1_000_000 - report.trainMillis());
    }

    /**
     * As above with the baselines already scored on the same split and users (a tuning run scores them once and
     * every trial's model alone).
     */
    static FullRankingProtocol.Report fullRanking(
            FullRankingProtocol.Split split,
            ModelSpec spec,
            FullRankingProtocol.Users users,
            Baselines baselines,
            int threads,
            ProgressListener listener) {
        long t1 = System.nanoTime();
        TrainedModel model = TrainedModel.train(spec, split.trainingRatings(), listener);
        long t2 = System.nanoTime();
        FullRankingMetrics metrics =
                FullRankingProtocol.evaluate(split, users, model.scorer(split.catalogue()), threads, listener);
        long t3 = System.nanoTime();
        return new FullRankingProtocol.Report(
                metrics,
                baselines.bayesianPopularity(),
                baselines.topPopularity(),
                model instanceof TrainedModel.ItemItem item ? item.lists() : null,
                0,
                (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000);
    }

    /**
     * Share of the snapshot's movies that the trained model can recommend at all: movies that are some movie's
     * neighbour (item-item), or movies with factors (iALS). The seed's {@code min_ratings = 50} keeps this low.
     */
    static double catalogueShare(TrainedModel model, Ratings ratings) {
        int movies = IdIndex.of(ratings.movieIds()).size();
        return movies == 0 ? 0 : (double) model.recommendable() / movies;
    }
}
