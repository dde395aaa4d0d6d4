package org.recofilms.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * The rows of a training snapshot as four parallel primitive arrays, in file order: row {@code r} is user
 * {@code userId[r]} giving {@code rating[r]} stars to movie {@code movieId[r]} at {@code timestamp[r]}
 * (seconds since the epoch, as MovieLens has it). The arrays are shared, not copied.
 */
public record SnapshotRatings(int[] userId, int[] movieId, float[] rating, long[] timestamp) {

    public SnapshotRatings {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(movieId, "movieId");
        Objects.requireNonNull(rating, "rating");
        Objects.requireNonNull(timestamp, "timestamp");
        if (movieId.length != userId.length || rating.length != userId.length || timestamp.length != userId.length) {
            throw new IllegalArgumentException("userId, movieId, rating and timestamp must have the same length, got "
                    + userId.length + ", " + movieId.length + ", " + rating.length + ", " + timestamp.length);
        }
    }

    /** Number of rows. */
    public int size() {
        return userId.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotRatings other
                && Arrays.equals(userId, other.userId)
                && Arrays.equals(movieId, other.movieId)
                && Arrays.equals(rating, other.rating)
                && Arrays.equals(timestamp, other.timestamp);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(userId);
        h = 31 * h + Arrays.hashCode(movieId);
        h = 31 * h + Arrays.hashCode(rating);
        return 31 * h + Arrays.hashCode(timestamp);
    }

    @Override
    public String toString() {
        return "SnapshotRatings[size=" + size() + "]";
    }
}
