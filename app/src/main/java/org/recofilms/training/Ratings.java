package org.recofilms.training;

import java.util.Arrays;
import java.util.Objects;

/**
 * Rating rows as three parallel primitive arrays, the input of training and evaluation.
 *
 * <p>Row {@code r} is user {@code userIds[r]} giving {@code ratings[r]} stars to movie {@code movieIds[r]}.
 * The arrays are shared, not copied: callers hand them over and must not change them afterwards, and
 * nothing in this package writes to them. Row order matters only to the seed protocol, whose random
 * split is defined over row positions (as the seed's pandas frame was).
 */
public record Ratings(int[] userIds, int[] movieIds, float[] ratings) {

    public Ratings {
        Objects.requireNonNull(userIds, "userIds");
        Objects.requireNonNull(movieIds, "movieIds");
        Objects.requireNonNull(ratings, "ratings");
        if (userIds.length != movieIds.length || userIds.length != ratings.length) {
            throw new IllegalArgumentException("userIds, movieIds and ratings must have the same length, got "
                    + userIds.length + ", " + movieIds.length + ", " + ratings.length);
        }
    }

    /** Number of rating rows. */
    public int size() {
        return userIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ratings other
                && Arrays.equals(userIds, other.userIds)
                && Arrays.equals(movieIds, other.movieIds)
                && Arrays.equals(ratings, other.ratings);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(userIds) + Arrays.hashCode(movieIds)) + Arrays.hashCode(ratings);
    }

    @Override
    public String toString() {
        return "Ratings[size=" + size() + "]";
    }
}
