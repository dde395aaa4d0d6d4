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
     * same names. Item-kNN goes through {@link FullRankingProtocol#run} itself; the other families are trained on
     * the same split's positives (already chosen, so their own positive threshold is turned off, as item-kNN's
     * is) and scored with the same evaluator and baselines.
     */
    static FullRankingProtocol.Report fullRanking(
            Ratings ratings, ModelSpec spec, FullRankingProtocol.Config config, ProgressListener listener) {
        if (spec instanceof ModelSpec.ItemKnn knn) {
            return FullRankingProtocol.run(ratings, knn.params(), config, listener);
        }
        long t0 = System.nanoTime();
        FullRankingProtocol.Split split = FullRankingProtocol.split(ratings, config, listener);
        long t1 = System.nanoTime();
        TrainedModel model = TrainedModel.train(spec.withoutPositiveThreshold(), split.trainingPositives(), listener);
        long t2 = System.nanoTime();
        int threads = config.parallelism();
        FullRankingMetrics metrics =
                FullRankingProtocol.evaluate(split, model.scorer(split.catalogue()), threads, listener);
        FullRankingMetrics bayes = FullRankingProtocol.evaluate(
                split,
                Scorers.bayesianPopularity(BayesianPopularity.compute(split.trainingRatings()), split.catalogue()),
                threads,
                listener);
        FullRankingMetrics top =
                FullRankingProtocol.evaluate(split, Scorers.fixed(split.positiveCounts()), threads, listener);
        long t3 = System.nanoTime();
        return new FullRankingProtocol.Report(
                metrics,
                bayes,
                top,
                model instanceof TrainedModel.ItemItem item ? item.lists() : null,
                (t1 - t0) / 1_000_000,
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
