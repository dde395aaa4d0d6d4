package org.recofilms.training;

import java.util.Arrays;
import org.recofilms.snapshot.PopularityArrays;

/**
 * Bayesian popularity of every movie, best first: the seed's {@code movie_popularity} table, as the
 * {@link PopularityArrays} that movie_popularity.parquet holds, with the two constants of the formula.
 *
 * <p>Rows are sorted by {@code bayesScore} descending, then movie id ascending. Arrays returned by accessors are
 * shared and must not be modified.
 *
 * @see BayesianPopularity
 */
public final class MoviePopularity {

    private final PopularityArrays arrays;
    private final double meanCount;
    private final double meanOfMeans;

    MoviePopularity(PopularityArrays arrays, double meanCount, double meanOfMeans) {
        this.arrays = arrays;
        this.meanCount = meanCount;
        this.meanOfMeans = meanOfMeans;
    }

    /** The list as the artifacts and the catalogue hold it. */
    public PopularityArrays arrays() {
        return arrays;
    }

    /** Number of movies. */
    public int size() {
        return arrays.size();
    }

    /** Movie ids, best first (the {@code movieId} column). */
    public int[] movieIds() {
        return arrays.movieIds();
    }

    /** Rating rows per movie (the {@code n_ratings} column). */
    public int[] ratingCounts() {
        return arrays.nRatings();
    }

    /** Mean rating per movie (the {@code mean_rating} column). */
    public float[] meanRatings() {
        return arrays.meanRatings();
    }

    /**
     * {@code (C*M + n*mean) / (C + n)} per movie (the {@code bayes_score} column): computed, ranked and
     * written in float precision, held as doubles as the Parquet column is.
     */
    public double[] bayesScores() {
        return arrays.bayesScores();
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
        return Arrays.copyOf(arrays.movieIds(), Math.max(0, Math.min(limit, size())));
    }

    @Override
    public String toString() {
        return "MoviePopularity[movies=" + size() + ", C=" + meanCount + ", M=" + meanOfMeans + "]";
    }
}
