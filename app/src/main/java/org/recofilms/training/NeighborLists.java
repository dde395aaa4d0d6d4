package org.recofilms.training;

import java.util.Arrays;

/**
 * The trained item-kNN model: for every kept movie, its most similar other movies, best first.
 *
 * <p>Everything lives in flat primitive arrays (CSR layout): movie {@code i} (a position, movies ascending
 * by id) has neighbours at positions {@code start(i) .. end(i)-1} of {@link #neighborMovieIds()},
 * {@link #neighborIndices()} and {@link #similarities()}, sorted by similarity descending, then neighbour
 * movie id ascending. Only strictly positive similarities are kept, so a list may hold fewer than
 * {@code kNeighbors} entries (the seed padded short lists with arbitrary zero-similarity movies, which add
 * nothing to its scores). Arrays returned by accessors are shared and must not be modified.
 */
public final class NeighborLists {

    private final int[] movieIds;
    private final int[] ratingCounts;
    private final int[] offsets;
    private final int[] neighborIndices;
    private final int[] neighborMovieIds;
    private final float[] similarities;

    /**
     * Wraps arrays without copying them.
     *
     * @param movieIds kept movies, strictly ascending
     * @param ratingCounts rating rows of each movie in the training input ({@code n_ratings})
     * @param offsets {@code movieIds.length + 1} ascending offsets into the neighbour arrays
     * @param neighborIndices neighbour positions in {@code movieIds}
     * @param similarities neighbour similarities
     */
    public NeighborLists(
            int[] movieIds, int[] ratingCounts, int[] offsets, int[] neighborIndices, float[] similarities) {
        int n = movieIds.length;
        if (ratingCounts.length != n || offsets.length != n + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("ratingCounts and offsets must match movieIds");
        }
        int total = offsets[n];
        if (neighborIndices.length != total || similarities.length != total) {
            throw new IllegalArgumentException("neighbour arrays must hold offsets[n] = " + total + " entries");
        }
        for (int i = 1; i < n; i++) {
            if (movieIds[i] <= movieIds[i - 1]) {
                throw new IllegalArgumentException("movieIds must be strictly ascending");
            }
        }
        this.movieIds = movieIds;
        this.ratingCounts = ratingCounts;
        this.offsets = offsets;
        this.neighborIndices = neighborIndices;
        this.similarities = similarities;
        this.neighborMovieIds = new int[total];
        for (int p = 0; p < total; p++) {
            neighborMovieIds[p] = movieIds[neighborIndices[p]];
        }
    }

    /** Number of movies in the model. */
    public int size() {
        return movieIds.length;
    }

    /** Total number of (movie, neighbour) pairs, the row count of item_neighbors. */
    public int totalNeighbors() {
        return offsets[movieIds.length];
    }

    /** Position of a movie, or -1 when it is not in the model. */
    public int indexOf(int movieId) {
        int i = Arrays.binarySearch(movieIds, movieId);
        return i >= 0 ? i : -1;
    }

    /** Movie id at a position. */
    public int movieId(int index) {
        return movieIds[index];
    }

    /** Rating rows of the movie at a position in the training input. */
    public int ratingCount(int index) {
        return ratingCounts[index];
    }

    /** First neighbour slot of the movie at a position. */
    public int start(int index) {
        return offsets[index];
    }

    /** One past the last neighbour slot of the movie at a position. */
    public int end(int index) {
        return offsets[index + 1];
    }

    /** Neighbour movie id in a slot. */
    public int neighborMovieId(int slot) {
        return neighborMovieIds[slot];
    }

    /** Neighbour position (in this model) in a slot. */
    public int neighborIndex(int slot) {
        return neighborIndices[slot];
    }

    /** Similarity in a slot. */
    public float similarity(int slot) {
        return similarities[slot];
    }

    /** Neighbour movie ids of a movie, best first; empty when the movie is unknown. */
    public int[] neighborsOf(int movieId) {
        int i = indexOf(movieId);
        return i < 0 ? new int[0] : Arrays.copyOfRange(neighborMovieIds, offsets[i], offsets[i + 1]);
    }

    /** Similarities of a movie's neighbours, aligned with {@link #neighborsOf(int)}. */
    public float[] similaritiesOf(int movieId) {
        int i = indexOf(movieId);
        return i < 0 ? new float[0] : Arrays.copyOfRange(similarities, offsets[i], offsets[i + 1]);
    }

    /** Kept movie ids, ascending. */
    public int[] movieIds() {
        return movieIds;
    }

    /** Rating rows per movie, aligned with {@link #movieIds()}. */
    public int[] ratingCounts() {
        return ratingCounts;
    }

    /** CSR offsets, length {@code size() + 1}. */
    public int[] offsets() {
        return offsets;
    }

    /** Neighbour positions, CSR-aligned. */
    public int[] neighborIndices() {
        return neighborIndices;
    }

    /** Neighbour movie ids, CSR-aligned (the item_neighbors {@code neighborMovieId} column). */
    public int[] neighborMovieIds() {
        return neighborMovieIds;
    }

    /** Similarities, CSR-aligned (the item_neighbors {@code similarity} column). */
    public float[] similarities() {
        return similarities;
    }

    /**
     * The {@code movieId} column of item_neighbors: each movie id repeated once per neighbour, aligned with
     * {@link #neighborMovieIds()}.
     */
    public int[] sourceMovieIds() {
        int[] source = new int[totalNeighbors()];
        for (int i = 0; i < movieIds.length; i++) {
            Arrays.fill(source, offsets[i], offsets[i + 1], movieIds[i]);
        }
        return source;
    }

    @Override
    public String toString() {
        return "NeighborLists[movies=" + size() + ", neighbors=" + totalNeighbors() + "]";
    }
}
