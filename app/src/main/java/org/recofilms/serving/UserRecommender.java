package org.recofilms.serving;

import org.recofilms.snapshot.PopularityArrays;

/**
 * What a serving model answers with, whatever its family: a user's recommendations from the user's
 * current ratings, and the popularity list it falls back to. {@link Recommender} is the item-item
 * families' engine (the seed's rule), {@link FactorRecommender} iALS's. Thread-safe.
 */
public interface UserRecommender {

    /**
     * Recommends {@code topN} movies to a user who rated {@code movieIds} with {@code ratings}
     * (parallel arrays, movie ids ascending); never a rated movie.
     */
    Recommender.Recommendation recommend(int[] movieIds, float[] ratings, int topN);

    /** The popularity list without the user's movies ({@code seenSorted}, ascending). */
    Recommender.Recommendation popular(int[] seenSorted, int topN, Recommender.Fallback reason);

    /** Positions in the popularity arrays of the {@code limit} most popular movies, best first. */
    int[] topPopular(int limit);

    /** The popularity list this recommender falls back to. */
    PopularityArrays popularity();
}
