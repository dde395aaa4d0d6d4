package org.recofilms.training;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item-based collaborative filtering with the seed's semantics, built for ML-20M scale in seconds.
 *
 * <p>What it computes (the seed's {@code train_model2.py}: scikit-learn {@code NearestNeighbors(metric="cosine",
 * algorithm="brute")} over a scipy item x user CSR matrix, {@code kneighbors} with {@code k + 1} and the first
 * column, the movie itself, dropped):
 *
 * <ol>
 *   <li>movies with at least {@code minRatings} rating rows are kept;
 *   <li>the item x user matrix holds the raw ratings (not centred); duplicate (user, movie) rows are summed, as
 *       scipy does when it builds a CSR matrix from coordinates;
 *   <li>the similarity of two movies is the cosine of their rows, {@code dot / (|a| |b|)}, never negative for
 *       non-negative ratings;
 *   <li>each movie keeps its {@code kNeighbors} most similar other movies with similarity {@code > 0}, ordered by
 *       similarity descending, then movie id ascending: a total order, so the result does not depend on the number
 *       of threads. The seed filled lists that had fewer than k co-rated movies with arbitrary zero-similarity
 *       movies; those are left out here (they add nothing to a score).
 * </ol>
 *
 * <p>How. Two counting sorts turn the rows into a CSR matrix (each user's row sorted by item) and a CSC index into
 * it, all primitive arrays; items are numbered by descending popularity. Only pairs {@code i < j} are computed, each
 * once, and offered to both movies' per-thread top-k heaps, merged at the end. Workers take blocks of 16
 * consecutive items: for each user who rated any of them, the block's entries are contiguous in the user's row and
 * the rest of the row is read once for all of them (popular blocks, where most of the work is, reuse a row many
 * times). The rest of the row is then either scattered into an item-major accumulator ({@code acc[j * 16 + a]},
 * one cache line per {@code j}) or, for long rows, written once into a dense vector and added with one contiguous
 * axpy per block entry, which the JIT vectorises. With half-star ratings every dot product is a multiple of 0.25
 * below 2^22 (up to 160k users), so float accumulation is exact in any order. Nothing of size items x items is
 * allocated: memory is about 20 bytes per rating for the matrix (24 while it is built) plus, per thread,
 * {@code 8 * kNeighbors * items} bytes for the heaps, {@code 132 * items} for the accumulators ({@code 264 * items}
 * with the co-rating counts of shrinkage and minimum co-ratings) and {@code 20 * users}.
 */
public final class ItemKnnTrainer {

    /** Movies processed together; 16 floats per accumulator row fill one cache line. */
    private static final int BLOCK = 16;

    private final ItemKnnParams params;

    public ItemKnnTrainer(ItemKnnParams params) {
        this.params = params;
    }

    /** Parameters this trainer was built with. */
    public ItemKnnParams params() {
        return params;
    }

    /** Trains without progress reporting. */
    public NeighborLists train(Ratings ratings) {
        return train(ratings, ProgressListener.NONE);
    }

    /**
     * Computes the neighbour lists of every movie with at least {@code minRatings} rows in {@code ratings}.
     * Returns an empty model when no movie passes the filter.
     */
    public NeighborLists train(Ratings ratings, ProgressListener listener) {
        int n = ratings.size();
        listener.onProgress(TrainingPhase.INDEXING, 0, n);
        IdIndex movies = IdIndex.of(ratings.movieIds());
        IdIndex users = IdIndex.of(ratings.userIds());
        listener.onProgress(TrainingPhase.INDEXING, n, n);

        listener.onProgress(TrainingPhase.MATRIX, 0, n);
        Items items = selectItems(ratings, movies);
        int nItems = items.movieIds().length;
        if (nItems == 0) {
            listener.onProgress(TrainingPhase.MATRIX, n, n);
            return new NeighborLists(new int[0], new int[1], new int[0], new float[0]);
        }
        int threads = Math.max(1, Math.min(params.effectiveParallelism(), nItems));
        Matrix matrix = buildMatrix(ratings, movies, users, items, threads, listener);
        listener.onProgress(TrainingPhase.MATRIX, n, n);

        int capacity = Math.min(params.kNeighbors(), Math.max(1, nItems - 1));
        if ((long) capacity * nItems > Integer.MAX_VALUE - 16 || (long) BLOCK * nItems > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many movies for kNeighbors " + capacity + ": " + nItems);
        }
        TopK[] heaps = similarities(matrix, capacity, threads, listener);
        return merge(heaps, capacity, items, threads, listener);
    }

    /**
     * The kept movies and their internal numbering.
     *
     * @param movieIds kept movie ids, ascending (the output order)
     * @param itemOfMovie internal item number of each {@link IdIndex} movie position, -1 when dropped
     * @param movieIdOfItem movie id of each internal item
     * @param outIndexOfItem position in {@code movieIds} of each internal item
     * @param colPtr CSC offsets per internal item (matrix entries, before duplicates are merged)
     */
    private record Items(int[] movieIds, int[] itemOfMovie, int[] movieIdOfItem, int[] outIndexOfItem, int[] colPtr) {}

    /** Applies {@code minRatings} and numbers the kept movies by descending matrix entries, then movie id. */
    private Items selectItems(Ratings ratings, IdIndex movies) {
        int n = ratings.size();
        int[] movieIdColumn = ratings.movieIds();
        float[] ratingColumn = ratings.ratings();
        int movieCount = movies.size();
        boolean[] keptMovie = new boolean[movieCount];
        int nItems = 0;
        for (int m = 0; m < movieCount; m++) {
            if (movies.count(m) >= params.minRatings()) {
                keptMovie[m] = true;
                nItems++;
            }
        }
        float threshold = params.positiveThreshold();
        int[] entriesOfMovie = new int[movieCount];
        long nnz = 0;
        for (int r = 0; r < n; r++) {
            int m = movies.indexOf(movieIdColumn[r]);
            if (keptMovie[m] && (threshold <= 0 || ratingColumn[r] >= threshold)) {
                entriesOfMovie[m]++;
                nnz++;
            }
        }
        if (nnz > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many ratings for one matrix: " + nnz);
        }
        // Popular movies first: see blockSimilarities.
        long[] orderKeys = new long[nItems];
        int[] movieIds = new int[nItems];
        for (int m = 0, k = 0; m < movieCount; m++) {
            if (keptMovie[m]) {
                movieIds[k] = movies.id(m);
                orderKeys[k++] = ((long) (Integer.MAX_VALUE - entriesOfMovie[m]) << 32) | m;
            }
        }
        Arrays.sort(orderKeys);
        int[] itemOfMovie = new int[movieCount];
        Arrays.fill(itemOfMovie, -1);
        int[] movieIdOfItem = new int[nItems];
        int[] colPtr = new int[nItems + 1];
        for (int item = 0; item < nItems; item++) {
            int m = (int) orderKeys[item];
            itemOfMovie[m] = item;
            movieIdOfItem[item] = movies.id(m);
            colPtr[item + 1] = colPtr[item] + entriesOfMovie[m];
        }
        int[] outIndexOfItem = new int[nItems];
        for (int m = 0, out = 0; m < movieCount; m++) {
            if (keptMovie[m]) {
                outIndexOfItem[itemOfMovie[m]] = out++;
            }
        }
        return new Items(movieIds, itemOfMovie, movieIdOfItem, outIndexOfItem, colPtr);
    }

    /**
     * Builds the CSR matrix (rows sorted by item, duplicates summed) and the CSC index into it. Each scatter pass
     * is split by destination range: every worker reads all the input (sequential, cheap) and writes only its own
     * range (random, the expensive part), so no two workers write the same slot.
     */
    private Matrix buildMatrix(
            Ratings ratings, IdIndex movies, IdIndex users, Items items, int threads, ProgressListener listener) {
        int n = ratings.size();
        int[] userIdColumn = ratings.userIds();
        int[] movieIdColumn = ratings.movieIds();
        float[] ratingColumn = ratings.ratings();
        float threshold = params.positiveThreshold();
        boolean positiveAsOne = threshold > 0 && params.positiveValue() == ItemKnnParams.PositiveValue.ONE;
        int nItems = items.movieIdOfItem().length;
        int[] itemOfMovie = items.itemOfMovie();
        int[] inputColPtr = items.colPtr();
        int nnzIn = inputColPtr[nItems];

        // 1. CSC by item, users in input order.
        int[] cscUser = new int[nnzIn];
        float[] cscValue = new float[nnzIn];
        int[] colFill = Arrays.copyOf(inputColPtr, nItems);
        int[] itemRanges = ranges(inputColPtr, threads);
        Parallel.run(
                threads,
                "item-knn-matrix",
                w -> {
                    int lo = itemRanges[w];
                    int hi = itemRanges[w + 1];
                    for (int r = 0; r < n; r++) {
                        int item = itemOfMovie[movies.indexOf(movieIdColumn[r])];
                        float v = ratingColumn[r];
                        if (item >= lo && item < hi && (threshold <= 0 || v >= threshold)) {
                            int e = colFill[item]++;
                            cscUser[e] = users.indexOf(userIdColumn[r]);
                            cscValue[e] = positiveAsOne ? 1f : v;
                        }
                    }
                },
                listener.intervalMillis(),
                () -> {});
        listener.onProgress(TrainingPhase.MATRIX, n / 3, n);

        // 2. CSR by user: walking the items in order leaves every row sorted by item, duplicates adjacent.
        int nUsers = users.size();
        int[] rowPtr = new int[nUsers + 1];
        for (int e = 0; e < nnzIn; e++) {
            rowPtr[cscUser[e] + 1]++;
        }
        for (int u = 0; u < nUsers; u++) {
            rowPtr[u + 1] += rowPtr[u];
        }
        int[] rowFill = Arrays.copyOf(rowPtr, nUsers);
        int[] csrItem = new int[nnzIn];
        float[] csrValue = new float[nnzIn];
        int[] userRanges = ranges(rowPtr, threads);
        int[] duplicatesOf = new int[threads];
        Parallel.run(
                threads,
                "item-knn-matrix",
                w -> {
                    int lo = userRanges[w];
                    int hi = userRanges[w + 1];
                    int duplicates = 0;
                    for (int item = 0; item < nItems; item++) {
                        for (int e = inputColPtr[item], end = inputColPtr[item + 1]; e < end; e++) {
                            int u = cscUser[e];
                            if (u < lo || u >= hi) {
                                continue;
                            }
                            int p = rowFill[u];
                            if (p > rowPtr[u] && csrItem[p - 1] == item) {
                                csrValue[p - 1] += cscValue[e];
                                duplicates++;
                            } else {
                                csrItem[p] = item;
                                csrValue[p] = cscValue[e];
                                rowFill[u] = p + 1;
                            }
                        }
                    }
                    duplicatesOf[w] = duplicates;
                },
                listener.intervalMillis(),
                () -> {});
        int nnz = nnzIn;
        if (Arrays.stream(duplicatesOf).sum() > 0) {
            int w = 0;
            for (int u = 0; u < nUsers; u++) {
                int from = rowPtr[u];
                int to = rowFill[u];
                rowPtr[u] = w;
                for (int p = from; p < to; p++, w++) {
                    csrItem[w] = csrItem[p];
                    csrValue[w] = csrValue[p];
                }
            }
            rowPtr[nUsers] = w;
            nnz = w;
        }
        listener.onProgress(TrainingPhase.MATRIX, 2L * n / 3, n);

        // 3. CSC over the CSR arrays: per item, its users ascending and each entry's position in the user's row.
        int[] colPtr = new int[nItems + 1];
        double[] norm = new double[nItems];
        for (int p = 0; p < nnz; p++) {
            int item = csrItem[p];
            colPtr[item + 1]++;
            norm[item] += (double) csrValue[p] * csrValue[p];
        }
        for (int item = 0; item < nItems; item++) {
            colPtr[item + 1] += colPtr[item];
            norm[item] = Math.sqrt(norm[item]);
        }
        int[] positionFill = Arrays.copyOf(colPtr, nItems);
        int[] cscPos = new int[nnz];
        int[] positionRanges = ranges(colPtr, threads);
        int entries = nnz;
        Parallel.run(
                threads,
                "item-knn-matrix",
                w -> {
                    int lo = positionRanges[w];
                    int hi = positionRanges[w + 1];
                    int u = 0;
                    for (int p = 0; p < entries; p++) {
                        while (p >= rowPtr[u + 1]) {
                            u++;
                        }
                        int item = csrItem[p];
                        if (item >= lo && item < hi) {
                            int e = positionFill[item]++;
                            cscPos[e] = p;
                            cscUser[e] = u; // reused: same length, its old content is no longer needed
                        }
                    }
                },
                listener.intervalMillis(),
                () -> {});
        return new Matrix(
                nItems,
                new Csr(rowPtr, csrItem, csrValue),
                new Csc(colPtr, cscUser, cscPos),
                norm,
                items.movieIdOfItem());
    }

    /** Splits {@code 0..offsets.length-1} into {@code parts} ranges holding about the same number of entries. */
    private static int[] ranges(int[] offsets, int parts) {
        int size = offsets.length - 1;
        long total = offsets[size];
        int[] bounds = new int[parts + 1];
        int k = 0;
        for (int part = 1; part < parts; part++) {
            long target = total * part / parts;
            while (k < size && offsets[k] < target) {
                k++;
            }
            bounds[part] = k;
        }
        bounds[parts] = size;
        return bounds;
    }

    /** The sparse matrix in the two layouts the similarity loop needs, each item's norm and its movie id. */
    private record Matrix(int nItems, Csr csr, Csc csc, double[] norm, int[] movieIdOfItem) {}

    /** By user: row {@code u} holds {@code csrItem[rowPtr[u]..rowPtr[u + 1])}, items ascending, and their values. */
    private record Csr(int[] rowPtr, int[] csrItem, float[] csrValue) {}

    /** By item, over the CSR arrays: column {@code i} holds its users ascending and each entry's position in the CSR. */
    private record Csc(int[] colPtr, int[] cscUser, int[] cscPos) {}

    private TopK[] similarities(Matrix mx, int capacity, int threads, ProgressListener listener) {
        int nItems = mx.nItems();
        TopK[] heaps = new TopK[threads];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        listener.onProgress(TrainingPhase.SIMILARITIES, 0, nItems);
        Parallel.run(
                threads,
                "item-knn",
                worker -> {
                    TopK heap = new TopK(nItems, capacity, mx.movieIdOfItem());
                    heaps[worker] = heap;
                    blockSimilarities(mx, heap, next, done, params.needsCoCounts());
                },
                listener.intervalMillis(),
                () -> listener.onProgress(TrainingPhase.SIMILARITIES, done.get(), nItems));
        listener.onProgress(TrainingPhase.SIMILARITIES, nItems, nItems);
        return heaps;
    }

    /**
     * The hot loop, over blocks of {@link #BLOCK} consecutive items handed out by {@code nextBlock}. Per block: list
     * the block's users with their first block entry and entry count, add each row's pairs into the accumulators
     * (sparse or dense, whichever is cheaper for that row), then turn every non-zero slot into a similarity, clear
     * it and offer it to both movies' heaps. Small blocks keep the sparse accumulator (16 floats per item) in L2.
     */
    private void blockSimilarities(Matrix mx, TopK heap, AtomicInteger nextBlock, AtomicLong done, boolean counts) {
        int nItems = mx.nItems();
        int nUsers = mx.csr().rowPtr().length - 1;
        int[] colPtr = mx.csc().colPtr();
        int[] cscUser = mx.csc().cscUser();
        int[] cscPos = mx.csc().cscPos();
        int[] rowPtr = mx.csr().rowPtr();
        int[] csrItem = mx.csr().csrItem();
        float[] csrValue = mx.csr().csrValue();
        double[] norm = mx.norm();
        double shrinkage = params.shrinkage();
        int minCo = params.minCoRatings();
        float[] acc = new float[nItems * BLOCK];
        int[] co = counts ? new int[nItems * BLOCK] : null;
        float[][] accDense = new float[BLOCK][nItems];
        int[][] coDense = counts ? new int[BLOCK][nItems] : null;
        float[] row = new float[nItems];
        int[] rowMask = counts ? new int[nItems] : null;
        int[] stamp = new int[nUsers];
        Arrays.fill(stamp, -1);
        int[] slot = new int[nUsers];
        int[] blockUsers = new int[nUsers];
        int[] blockStart = new int[nUsers];
        int[] blockCount = new int[nUsers];
        float[] r = new float[BLOCK];
        int[] loc = new int[BLOCK];
        int nBlocks = (nItems + BLOCK - 1) / BLOCK;
        int b;
        while ((b = nextBlock.getAndIncrement()) < nBlocks) {
            checkInterrupted();
            int i0 = b * BLOCK;
            int width = Math.min(BLOCK, nItems - i0);
            // Users of the block, each with its first block entry (columns are walked in item order) and count.
            int nb = 0;
            for (int a = 0; a < width; a++) {
                for (int e = colPtr[i0 + a], eEnd = colPtr[i0 + a + 1]; e < eEnd; e++) {
                    int u = cscUser[e];
                    if (stamp[u] != b) {
                        stamp[u] = b;
                        slot[u] = nb;
                        blockUsers[nb] = u;
                        blockStart[nb] = cscPos[e];
                        blockCount[nb] = 1;
                        nb++;
                    } else {
                        blockCount[slot[u]]++;
                    }
                }
            }
            int last = i0 + width - 1; // pairs inside the block are always scanned
            for (int k = 0; k < nb; k++) {
                int s = blockStart[k];
                int m = blockCount[k];
                int end = rowPtr[blockUsers[k] + 1];
                for (int t = 0; t < m; t++) {
                    r[t] = csrValue[s + t];
                    loc[t] = csrItem[s + t] - i0;
                }
                // Pairs inside the block: entry t pairs with the earlier block entries of the same row.
                for (int t = 1; t < m; t++) {
                    int base = (i0 + loc[t]) * BLOCK;
                    float v = r[t];
                    for (int a = 0; a < t; a++) {
                        acc[base + loc[a]] += r[a] * v;
                    }
                    if (counts) {
                        for (int a = 0; a < t; a++) {
                            co[base + loc[a]]++;
                        }
                    }
                }
                // The rest of the row, after the block.
                int from = s + m;
                if (from >= end) {
                    continue;
                }
                // The row's last item bounds the collection scan; read after the loops, when it is cached.
                int jFrom = csrItem[from];
                if (denseIsCheaper(m, end - from, nItems - jFrom)) {
                    int jTo = csrItem[end - 1] + 1;
                    // Heavy rows: scatter the row once into a dense vector, then one contiguous axpy per block entry,
                    // which the JIT vectorises (same index on both arrays).
                    for (int q = from; q < end; q++) {
                        row[csrItem[q]] = csrValue[q];
                    }
                    int t = 0;
                    for (; t + 1 < m; t += 2) { // two targets per pass: half the reads of the dense row
                        float r0 = r[t];
                        float r1 = r[t + 1];
                        float[] target0 = accDense[loc[t]];
                        float[] target1 = accDense[loc[t + 1]];
                        for (int j = jFrom; j < jTo; j++) {
                            float v = row[j];
                            target0[j] += r0 * v;
                            target1[j] += r1 * v;
                        }
                    }
                    if (t < m) {
                        float rt = r[t];
                        float[] target = accDense[loc[t]];
                        for (int j = jFrom; j < jTo; j++) {
                            target[j] += rt * row[j];
                        }
                    }
                    for (int q = from; q < end; q++) {
                        row[csrItem[q]] = 0f;
                    }
                    if (counts) {
                        for (int q = from; q < end; q++) {
                            rowMask[csrItem[q]] = 1;
                        }
                        for (int c = 0; c < m; c++) {
                            int[] target = coDense[loc[c]];
                            for (int j = jFrom; j < jTo; j++) {
                                target[j] += rowMask[j];
                            }
                        }
                        for (int q = from; q < end; q++) {
                            rowMask[csrItem[q]] = 0;
                        }
                    }
                } else {
                    // Scattered, four block entries at a time so that their values and slots stay in registers.
                    for (int g = 0; g < m; g += 4) {
                        scatter(acc, csrItem, csrValue, from, end, r, loc, g, Math.min(4, m - g));
                        if (counts) {
                            count(co, csrItem, from, end, loc, g, Math.min(4, m - g));
                        }
                    }
                }
                if (csrItem[end - 1] > last) {
                    last = csrItem[end - 1];
                }
            }
            // Collect: slot (j, a) of both accumulators holds the dot product of items i0 + a < j.
            for (int j = i0 + 1; j <= last; j++) {
                int base = j * BLOCK;
                int aEnd = Math.min(width, j - i0);
                double normJ = norm[j];
                for (int a = 0; a < aEnd; a++) {
                    float dot = acc[base + a] + accDense[a][j];
                    int c = counts ? co[base + a] + coDense[a][j] : 0;
                    if (dot == 0f && c == 0) {
                        continue;
                    }
                    acc[base + a] = 0f;
                    accDense[a][j] = 0f;
                    int i = i0 + a;
                    double s = dot / (norm[i] * normJ);
                    if (counts) {
                        co[base + a] = 0;
                        coDense[a][j] = 0;
                        if (c < minCo) {
                            continue;
                        }
                        if (shrinkage > 0) {
                            s = s * c / (c + shrinkage);
                        }
                    }
                    float sim = (float) s;
                    if (sim > 0f) {
                        heap.offer(i, j, sim);
                        heap.offer(j, i, sim);
                    }
                }
            }
            done.addAndGet(width);
        }
    }

    /** Adds {@code r[g + t] * value} into slot {@code loc[g + t]} of every item of the row suffix, for t < width. */
    private static void scatter(
            float[] acc, int[] csrItem, float[] csrValue, int from, int end, float[] r, int[] loc, int g, int width) {
        float r0 = r[g];
        int l0 = loc[g];
        if (width == 1) {
            for (int q = from; q < end; q++) {
                acc[csrItem[q] * BLOCK + l0] += r0 * csrValue[q];
            }
            return;
        }
        float r1 = r[g + 1];
        int l1 = loc[g + 1];
        if (width == 2) {
            for (int q = from; q < end; q++) {
                int base = csrItem[q] * BLOCK;
                float v = csrValue[q];
                acc[base + l0] += r0 * v;
                acc[base + l1] += r1 * v;
            }
            return;
        }
        float r2 = r[g + 2];
        int l2 = loc[g + 2];
        if (width == 3) {
            for (int q = from; q < end; q++) {
                int base = csrItem[q] * BLOCK;
                float v = csrValue[q];
                acc[base + l0] += r0 * v;
                acc[base + l1] += r1 * v;
                acc[base + l2] += r2 * v;
            }
            return;
        }
        float r3 = r[g + 3];
        int l3 = loc[g + 3];
        for (int q = from; q < end; q++) {
            int base = csrItem[q] * BLOCK;
            float v = csrValue[q];
            acc[base + l0] += r0 * v;
            acc[base + l1] += r1 * v;
            acc[base + l2] += r2 * v;
            acc[base + l3] += r3 * v;
        }
    }

    /** Co-rating counts for {@link #scatter}. */
    private static void count(int[] co, int[] csrItem, int from, int end, int[] loc, int g, int width) {
        for (int t = g; t < g + width; t++) {
            int l = loc[t];
            for (int q = from; q < end; q++) {
                co[csrItem[q] * BLOCK + l]++;
            }
        }
    }

    /** Cost of a scattered multiply-add relative to one element of a vectorised dense axpy (measured, 12-15). */
    private static final int SPARSE_COST = 12;

    /**
     * Whether a row suffix of {@code n} entries spanning {@code range} items is cheaper to process densely for
     * {@code m} block entries: densifying costs about two scattered writes per entry, then {@code m} contiguous
     * passes over the range, against {@code m} scattered multiply-adds per entry.
     */
    private static boolean denseIsCheaper(int m, int n, int range) {
        return (long) n * (SPARSE_COST * (long) m - 2L * SPARSE_COST) > (long) m * range;
    }

    private static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("training interrupted");
        }
    }

    /** Merges the per-thread heaps into the final lists, in movie id order. */
    private static NeighborLists merge(
            TopK[] heaps, int capacity, Items items, int threads, ProgressListener listener) {
        int nItems = items.movieIds().length;
        int[] outIndexOfItem = items.outIndexOfItem();
        listener.onProgress(TrainingPhase.NEIGHBORS, 0, nItems);
        int[] itemOfOut = new int[nItems];
        for (int item = 0; item < nItems; item++) {
            itemOfOut[outIndexOfItem[item]] = item;
        }
        // A pair is computed once and offered to one thread's heaps only, so candidates are distinct across heaps.
        int[] offsets = new int[nItems + 1];
        for (int out = 0; out < nItems; out++) {
            int item = itemOfOut[out];
            int candidates = 0;
            for (TopK heap : heaps) {
                candidates += heap.size(item);
            }
            offsets[out + 1] = offsets[out] + Math.min(capacity, candidates);
        }
        int total = offsets[nItems];
        int[] neighborIndices = new int[total];
        float[] similarities = new float[total];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        Parallel.run(
                threads,
                "item-knn-merge",
                worker -> {
                    long[] keys = new long[capacity * heaps.length];
                    int start;
                    while ((start = next.getAndAdd(256)) < nItems) {
                        int stop = Math.min(nItems, start + 256);
                        for (int out = start; out < stop; out++) {
                            int item = itemOfOut[out];
                            int count = 0;
                            for (TopK heap : heaps) {
                                count = heap.drainKeys(item, outIndexOfItem, keys, count);
                            }
                            Arrays.sort(keys, 0, count);
                            for (int s = offsets[out], k = 0; s < offsets[out + 1]; s++, k++) {
                                neighborIndices[s] = SortKeys.tieBreaker(keys[k]);
                                similarities[s] = SortKeys.score(keys[k]);
                            }
                        }
                        done.addAndGet(stop - start);
                    }
                },
                listener.intervalMillis(),
                () -> listener.onProgress(TrainingPhase.NEIGHBORS, done.get(), nItems));
        listener.onProgress(TrainingPhase.NEIGHBORS, nItems, nItems);
        return new NeighborLists(items.movieIds(), offsets, neighborIndices, similarities);
    }

    /**
     * One bounded min-heap per item, flat in two arrays; the root is the worst kept candidate, so most offers
     * are rejected by a single comparison. Owned by one thread.
     */
    private static final class TopK {
        private final int capacity;
        private final int[] tie;
        private final float[] sims;
        private final int[] items;
        private final int[] sizes;

        TopK(int nItems, int capacity, int[] movieIdOfItem) {
            this.capacity = capacity;
            this.tie = movieIdOfItem;
            this.sims = new float[nItems * capacity];
            this.items = new int[nItems * capacity];
            this.sizes = new int[nItems];
        }

        int size(int item) {
            return sizes[item];
        }

        /** True when candidate (sa, ia) ranks below (sb, ib): lower similarity, or equal and larger movie id. */
        private boolean worse(float sa, int ia, float sb, int ib) {
            return sa < sb || (sa == sb && tie[ia] > tie[ib]);
        }

        void offer(int item, int candidate, float sim) {
            int base = item * capacity;
            int size = sizes[item];
            if (size < capacity) {
                int c = size;
                while (c > 0) {
                    int parent = (c - 1) >>> 1;
                    if (!worse(sim, candidate, sims[base + parent], items[base + parent])) {
                        break;
                    }
                    sims[base + c] = sims[base + parent];
                    items[base + c] = items[base + parent];
                    c = parent;
                }
                sims[base + c] = sim;
                items[base + c] = candidate;
                sizes[item] = size + 1;
                return;
            }
            if (!worse(sims[base], items[base], sim, candidate)) {
                return;
            }
            int c = 0;
            while (true) {
                int child = 2 * c + 1;
                if (child >= capacity) {
                    break;
                }
                if (child + 1 < capacity
                        && worse(
                                sims[base + child + 1],
                                items[base + child + 1],
                                sims[base + child],
                                items[base + child])) {
                    child++;
                }
                if (!worse(sims[base + child], items[base + child], sim, candidate)) {
                    break;
                }
                sims[base + c] = sims[base + child];
                items[base + c] = items[base + child];
                c = child;
            }
            sims[base + c] = sim;
            items[base + c] = candidate;
        }

        /** Appends this heap's candidates for {@code item} as ranking keys over output positions. */
        int drainKeys(int item, int[] outIndexOfItem, long[] keys, int count) {
            int base = item * capacity;
            for (int s = 0, size = sizes[item]; s < size; s++) {
                keys[count++] = SortKeys.descending(sims[base + s], outIndexOfItem[items[base + s]]);
            }
            return count;
        }
    }
}
