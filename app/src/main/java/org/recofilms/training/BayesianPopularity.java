package org.recofilms.training;

import java.util.Arrays;
import org.recofilms.snapshot.PopularityArrays;

/**
 * The seed's Bayesian popularity ({@code compute_bayesian_popularity} in its {@code train_model2.py}), over all
 * movies of the input, before any {@code min_ratings} filter.
 *
 * <p>For each movie, {@code n} = its rating rows and {@code mean} = their mean rating; {@code C} = the mean of
 * {@code n} over movies, {@code M} = the mean of the movies' means; {@code bayes = (C*M + n*mean) / (C + n)}.
 * Sums are in double; {@code mean_rating} and {@code bayes_score} are stored as float, as the seed cast them to
 * float32. Sorted by {@code bayes_score} (the stored float) descending, then movie id ascending.
 */
public final class BayesianPopularity {

    private BayesianPopularity() {}

    /** Popularity of every movie in {@code ratings}. */
    public static MoviePopularity compute(Ratings ratings) {
        return compute(ratings, ProgressListener.NONE);
    }

    /** Popularity of every movie in {@code ratings}, reporting progress. */
    public static MoviePopularity compute(Ratings ratings, ProgressListener listener) {
        int n = ratings.size();
        listener.onProgress(TrainingPhase.POPULARITY, 0, n);
        IdIndex movies = IdIndex.of(ratings.movieIds());
        int m = movies.size();
        int[] movieIdColumn = ratings.movieIds();
        float[] ratingColumn = ratings.ratings();
        double[] sums = new double[m];
        for (int r = 0; r < n; r++) {
            sums[movies.indexOf(movieIdColumn[r])] += ratingColumn[r];
        }
        double[] means = new double[m];
        double countTotal = 0;
        double meanTotal = 0;
        for (int i = 0; i < m; i++) {
            means[i] = sums[i] / movies.count(i);
            countTotal += movies.count(i);
            meanTotal += means[i];
        }
        double c = m == 0 ? 0 : countTotal / m;
        double bigM = m == 0 ? 0 : meanTotal / m;
        long[] keys = new long[m];
        float[] bayes = new float[m];
        for (int i = 0; i < m; i++) {
            int count = movies.count(i);
            bayes[i] = (float) ((c * bigM + count * means[i]) / (c + count));
            keys[i] = SortKeys.descending(bayes[i], i); // position order is movie id order
        }
        Arrays.sort(keys);
        int[] ids = new int[m];
        int[] counts = new int[m];
        float[] meanRatings = new float[m];
        double[] scores = new double[m];
        for (int rank = 0; rank < m; rank++) {
            int i = SortKeys.tieBreaker(keys[rank]);
            ids[rank] = movies.id(i);
            counts[rank] = movies.count(i);
            meanRatings[rank] = (float) means[i];
            scores[rank] = bayes[i];
        }
        listener.onProgress(TrainingPhase.POPULARITY, n, n);
        return new MoviePopularity(new PopularityArrays(ids, counts, meanRatings, scores), c, bigM);
    }
}
