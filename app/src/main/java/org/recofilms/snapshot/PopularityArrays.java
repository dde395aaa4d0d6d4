package org.recofilms.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of movie_popularity.parquet as parallel arrays, one entry per movie, in file order (the trainer
 * writes them best first). The arrays are shared, not copied.
 *
 * @param movieIds the {@code movieId} column
 * @param nRatings the {@code n_ratings} column
 * @param meanRatings the {@code mean_rating} column
 * @param bayesScores the {@code bayes_score} column
 */
public record PopularityArrays(int[] movieIds, int[] nRatings, float[] meanRatings, double[] bayesScores) {

    public PopularityArrays {
        Objects.requireNonNull(movieIds, "movieIds");
        Objects.requireNonNull(nRatings, "nRatings");
        Objects.requireNonNull(meanRatings, "meanRatings");
        Objects.requireNonNull(bayesScores, "bayesScores");
        int n = movieIds.length;
        if (nRatings.length != n || meanRatings.length != n || bayesScores.length != n) {
            throw new IllegalArgumentException("movieIds, nRatings, meanRatings and bayesScores must have the same"
                    + " length, got " + n + ", " + nRatings.length + ", " + meanRatings.length + ", "
                    + bayesScores.length);
        }
    }

    /** Number of movies. */
    public int size() {
        return movieIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PopularityArrays other
                && Arrays.equals(movieIds, other.movieIds)
                && Arrays.equals(nRatings, other.nRatings)
                && Arrays.equals(meanRatings, other.meanRatings)
                && Arrays.equals(bayesScores, other.bayesScores);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(movieIds);
        h = 31 * h + Arrays.hashCode(nRatings);
        h = 31 * h + Arrays.hashCode(meanRatings);
        return 31 * h + Arrays.hashCode(bayesScores);
    }

    @Override
    public String toString() {
        return "PopularityArrays[movies=" + size() + "]";
    }
}
