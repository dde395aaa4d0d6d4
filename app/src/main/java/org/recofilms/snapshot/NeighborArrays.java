package org.recofilms.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * Item neighbour lists in CSR layout, the content of item_neighbors.parquet: the neighbours of
 * {@code movieIds[i]} are {@code neighborIds[offsets[i] .. offsets[i+1]-1]} with the similarities at the same
 * positions, in the order they were written (best first, as the trainer produces them). A movie may have no
 * neighbours. The arrays are shared, not copied.
 *
 * @param movieIds movies, strictly ascending
 * @param offsets {@code movieIds.length + 1} non-decreasing offsets from 0 to {@code neighborIds.length}
 * @param neighborIds neighbour movie ids
 * @param similarities similarities, aligned with {@code neighborIds}
 */
public record NeighborArrays(int[] movieIds, int[] offsets, int[] neighborIds, float[] similarities) {

    public NeighborArrays {
        Objects.requireNonNull(movieIds, "movieIds");
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(neighborIds, "neighborIds");
        Objects.requireNonNull(similarities, "similarities");
        int n = movieIds.length;
        if (offsets.length != n + 1 || offsets[0] != 0 || offsets[n] != neighborIds.length) {
            throw new IllegalArgumentException("offsets must have movieIds.length + 1 = " + (n + 1)
                    + " entries from 0 to neighborIds.length = " + neighborIds.length);
        }
        if (similarities.length != neighborIds.length) {
            throw new IllegalArgumentException("similarities (" + similarities.length
                    + ") must be aligned with neighborIds (" + neighborIds.length + ")");
        }
        for (int i = 0; i < n; i++) {
            if (offsets[i + 1] < offsets[i]) {
                throw new IllegalArgumentException("offsets must not decrease, but offsets[" + (i + 1) + "] = "
                        + offsets[i + 1] + " < offsets[" + i + "] = " + offsets[i]);
            }
            if (i > 0 && movieIds[i] <= movieIds[i - 1]) {
                throw new IllegalArgumentException("movieIds must be strictly ascending, but movieIds[" + i + "] = "
                        + movieIds[i] + " follows " + movieIds[i - 1]);
            }
        }
    }

    /** Number of movies. */
    public int size() {
        return movieIds.length;
    }

    /** Number of (movie, neighbour) pairs: the row count of item_neighbors.parquet. */
    public int pairs() {
        return neighborIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NeighborArrays other
                && Arrays.equals(movieIds, other.movieIds)
                && Arrays.equals(offsets, other.offsets)
                && Arrays.equals(neighborIds, other.neighborIds)
                && Arrays.equals(similarities, other.similarities);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(movieIds);
        h = 31 * h + Arrays.hashCode(offsets);
        h = 31 * h + Arrays.hashCode(neighborIds);
        return 31 * h + Arrays.hashCode(similarities);
    }

    @Override
    public String toString() {
        return "NeighborArrays[movies=" + size() + ", pairs=" + pairs() + "]";
    }
}
