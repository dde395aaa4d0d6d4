package org.recofilms.training;

import java.util.Arrays;
import org.recofilms.snapshot.NeighborArrays;

/**
 * The trained item-kNN model: for every kept movie, its most similar other movies, best first.
 *
 * <p>The lists are a {@link NeighborArrays} (CSR layout, the content of item_neighbors.parquet): movie
 * {@code i} (a position, movies ascending by id) has neighbours at positions {@code start(i) .. end(i)-1}
 * of {@link #neighborMovieIds()}, {@link #neighborIndices()} and {@link #similarities()}, sorted by
 * similarity descending, then neighbour movie id ascending. Beside them, the neighbours' positions in
 * the model, which the evaluation scores with. Only strictly positive similarities are kept, so a list may
 * hold fewer than {@code kNeighbors} entries (the seed padded short lists with arbitrary zero-similarity
 * movies, which add nothing to its scores). Arrays returned by accessors are shared and must not be
 * modified.
 */
public final class NeighborLists {

    private final NeighborArrays arrays;
    private final int[] neighborIndices;

    /**
     * Wraps arrays without copying them.
     *
     * @param movieIds kept movies, strictly ascending
     * @param offsets {@code movieIds.length + 1} ascending offsets into the neighbour arrays
     * @param neighborIndices neighbour positions in {@code movieIds}
     * @param similarities neighbour similarities
     */
    public NeighborLists(int[] movieIds, int[] offsets, int[] neighborIndices, float[] similarities) {
        int n = movieIds.length;
        if (offsets.length != n + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("offsets must match movieIds");
        }
        int total = offsets[n];
        if (neighborIndices.length != total || similarities.length != total) {
            throw new IllegalArgumentException("neighbour arrays must hold offsets[n] = " + total + " entries");
        }
        int[] neighborMovieIds = new int[total];
        for (int p = 0; p < total; p++) {
            neighborMovieIds[p] = movieIds[neighborIndices[p]];
        }
        this.arrays = new NeighborArrays(movieIds, offsets, neighborMovieIds, similarities);
        this.neighborIndices = neighborIndices;
    }

    /** The lists by movie id, as the artifacts and the serving model hold them. */
    public NeighborArrays arrays() {
        return arrays;
    }

    /** Number of movies in the model. */
    public int size() {
        return arrays.size();
    }

    /** Total number of (movie, neighbour) pairs, the row count of item_neighbors. */
    public int totalNeighbors() {
        return arrays.pairs();
    }

    /** Position of a movie, or -1 when it is not in the model. */
    public int indexOf(int movieId) {
        int i = Arrays.binarySearch(arrays.movieIds(), movieId);
        return i >= 0 ? i : -1;
    }

    /** Movie id at a position. */
    public int movieId(int index) {
        return arrays.movieIds()[index];
    }

    /** First neighbour slot of the movie at a position. */
    public int start(int index) {
        return arrays.offsets()[index];
    }

    /** One past the last neighbour slot of the movie at a position. */
    public int end(int index) {
        return arrays.offsets()[index + 1];
    }

    /** Neighbour movie id in a slot. */
    public int neighborMovieId(int slot) {
        return arrays.neighborIds()[slot];
    }

    /** Similarity in a slot. */
    public float similarity(int slot) {
        return arrays.similarities()[slot];
    }

    /** Neighbour movie ids of a movie, best first; empty when the movie is unknown. */
    public int[] neighborsOf(int movieId) {
        int i = indexOf(movieId);
        return i < 0 ? new int[0] : Arrays.copyOfRange(arrays.neighborIds(), start(i), end(i));
    }

    /** Similarities of a movie's neighbours, aligned with {@link #neighborsOf(int)}. */
    public float[] similaritiesOf(int movieId) {
        int i = indexOf(movieId);
        return i < 0 ? new float[0] : Arrays.copyOfRange(arrays.similarities(), start(i), end(i));
    }

    /** Kept movie ids, ascending. */
    public int[] movieIds() {
        return arrays.movieIds();
    }

    /** CSR offsets, length {@code size() + 1}. */
    public int[] offsets() {
        return arrays.offsets();
    }

    /** Neighbour positions, CSR-aligned. */
    public int[] neighborIndices() {
        return neighborIndices;
    }

    /** Neighbour movie ids, CSR-aligned (the item_neighbors {@code neighborMovieId} column). */
    public int[] neighborMovieIds() {
        return arrays.neighborIds();
    }

    /** Similarities, CSR-aligned (the item_neighbors {@code similarity} column). */
    public float[] similarities() {
        return arrays.similarities();
    }

    @Override
    public String toString() {
        return "NeighborLists[movies=" + size() + ", neighbors=" + totalNeighbors() + "]";
    }
}
