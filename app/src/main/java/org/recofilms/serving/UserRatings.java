package org.recofilms.serving;

/**
 * One user's ratings as parallel arrays, movie ids ascending: MovieLens ratings and real-time
 * feedback merged (feedback wins), as {@code raw.current_ratings} gives them.
 */
public record UserRatings(int[] movieIds, float[] ratings) {

    public int size() {
        return movieIds.length;
    }
}
