package org.recofilms.training;

import java.util.Arrays;

/**
 * Bayesian popularity of every movie, best first: the seed's {@code movie_popularity} table.
 *
 * <p>Rows are sorted by {@code bayesScore} descending, then movie id ascending. Arrays returned by accessors are
 * shared and must not be modified.
 *
 * @see BayesianPopularity
 */
public final class MoviePopularity {

    private final int[] movieIds;
    private final int[] ratingCounts;
    private final float[] meanRatings;
    private final float[] bayesScores;
    private final double meanCount;
    private final double meanOfMeans;

    MoviePopularity(
            int[] movieIds,
            int[] ratingCounts,
            float[] meanRatings,
            float[] bayesScores,
            double meanCount,
            double meanOfMeans) {
        this.movieIds = movieIds;
        this.ratingCounts = ratingCounts;
        this.meanRatings = meanRatings;
        this.bayesScores = bayesScores;
        this.meanCount = meanCount;
        this.meanOfMeans = meanOfMeans;
    }

    /** Number of movies. */
    public int size() {
        return movieIds.length;
    }

    /** Movie ids, best first (the {@code movieId} column). */
    public int[] movieIds() {
        return movieIds;
    }

    /** Rating rows per movie (the {@code n_ratings} column). */
    public int[] ratingCounts() {
        return ratingCounts;
    }

    /** Mean rating per movie (the {@code mean_rating} column). */
    public float[] meanRatings() {
        return meanRatings;
    }

    /** {@code (C*M + n*mean) / (C + n)} per movie (the {@code bayes_score} column). */
    public float[] bayesScores() {
        return bayesScores;
    }

    /** C: mean number of ratings per movie. */
    public double meanCount() {
        return meanCount;
    }

    /** M: mean of the movies' mean ratings. */
    public double meanOfMeans() {
        return meanOfMeans;
    }

    /** The first {@code limit} movie ids (or all when fewer). */
    public int[] top(int limit) {
        return Arrays.copyOf(movieIds, Math.max(0, Math.min(limit, movieIds.length)));
    }

    @Override
    public String toString() {
        return "MoviePopularity[movies=" + size() + ", C=" + meanCount + ", M=" + meanOfMeans + "]";
    }
}
