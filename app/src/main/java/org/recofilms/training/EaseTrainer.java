package org.recofilms.training;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * EASE (Steck 2019): the closed-form item-item regression {@code min |X - XB|^2 + l2 |B|^2} with {@code diag(B) = 0},
 * pruned to the top-k weights per movie for serving.
 *
 * <p>What it computes, with {@code X} the binarised user x item matrix ({@link BinaryMatrix}: {@code minRatings}
 * and {@code positiveThreshold} as there): {@code G = X^T X + l2 I}, {@code P = G^-1}, {@code B_ij = -P_ij / P_jj}
 * for {@code i != j}, {@code B_ii = 0}. Scoring adds {@code B_ij} of each history movie {@code i} to movie
 * {@code j}, so row {@code i} of {@code B} is movie {@code i}'s neighbour list: its {@code topK} largest positive
 * weights, descending, then movie id ascending (negative weights, which would lower a score, are dropped by the
 * pruning, as the serving engine shares item-kNN's non-negative lists).
 *
 * <p>How: {@code G} is one dense {@code items x items} matrix of doubles (8 bytes per cell: 1.5 GB at 13.8k items)
 * that the {@link GramInverter} allocates ({@link GramInverter#best()} by default: OpenBLAS in native memory when it
 * loads, else a heap array and a Java inverse, EJML's needing two more copies while it runs), filled by workers that
 * each accumulate whole rows; the inversion is done in place; the pruning reads each row of {@code B} once, scaled
 * on the fly, so {@code B} is never a second matrix. The Gram matrix costs {@code sum over users of d(u)^2} additions, the
 * inverse {@code ~items^3} flops.
 */
public final class EaseTrainer {

    private final EaseParams params;
    private static final Logger LOG = Logger.getLogger(EaseTrainer.class);

    private final GramInverter inverter;

    public EaseTrainer(EaseParams params) {
        this(params, GramInverter.best());
    }

    public EaseTrainer(EaseParams params, GramInverter inverter) {
        this.params = params;
        this.inverter = inverter;
    }

    public EaseParams params() {
        return params;
    }

    public GramInverter inverter() {
        return inverter;
    }

    public NeighborLists train(Ratings ratings) {
        return train(ratings, ProgressListener.NONE);
    }

    /** Trains on every movie kept by {@code minRatings}; an empty model when none is. */
    public NeighborLists train(Ratings ratings, ProgressListener listener) {
        BinaryMatrix x = matrix(ratings, listener);
        try (Inverse p = inverse(x, ratings.size(), listener)) {
            return prune(p, x.movieIds(), threads(x.items()), listener);
        }
    }

    /** The dense weights {@code B}, row-major, before pruning, and the movie of each row. */
    record Dense(int[] movieIds, double[] weights) {}

    /** Computes {@code B} in full (see the class comment), on the heap: for tests. */
    Dense weights(Ratings ratings, ProgressListener listener) {
        BinaryMatrix x = matrix(ratings, listener);
        int n = x.items();
        double[] b = new double[n * n];
        try (Inverse p = inverse(x, ratings.size(), listener)) {
            double[] row = new double[n];
            for (int i = 0; i < n; i++) {
                p.weights(i, row);
                System.arraycopy(row, 0, b, i * n, n);
            }
        }
        return new Dense(x.movieIds(), b);
    }

    private BinaryMatrix matrix(Ratings ratings, ProgressListener listener) {
        int rows = ratings.size();
        listener.onProgress(TrainingPhase.MATRIX, 0, rows);
        BinaryMatrix x = BinaryMatrix.of(ratings, params.minRatings(), params.positiveThreshold());
        if (x.items() > EaseParams.MAX_ITEMS) {
            throw new IllegalArgumentException(
                    "EASE keeps at most " + EaseParams.MAX_ITEMS + " movies, got " + x.items() + ": raise minRatings");
        }
        return x;
    }

    /** {@code P = (X^T X + l2 I)^-1} and {@code -1 / P_jj}, from which rows of {@code B} are read. */
    private record Inverse(GramInverter.Matrix p, double[] minusInverseDiagonal) implements AutoCloseable {

        /** Row {@code i} of {@code B}: {@code B_ij = -P_ij / P_jj}, {@code B_ii = 0}. */
        void weights(int i, double[] row) {
            p.getRow(i, row);
            for (int j = 0; j < row.length; j++) {
                row[j] *= minusInverseDiagonal[j];
            }
            row[i] = 0;
        }

        @Override
        public void close() {
            p.close();
        }
    }

    private Inverse inverse(BinaryMatrix x, int ratingRows, ProgressListener listener) {
        int n = x.items();
        GramInverter.Matrix g = inverter.allocate(n);
        try {
            gram(x, g, threads(n), listener);
            listener.onProgress(TrainingPhase.MATRIX, ratingRows, ratingRows);
            listener.onProgress(TrainingPhase.INVERSE, 0, 1);
            long t0 = System.nanoTime();
            g.invert();
            listener.onProgress(TrainingPhase.INVERSE, 1, 1);
            LOG.infof(
                    "EASE: %d x %d Gram matrix inverted by %s in %.1f s",
                    n, n, inverter.name(), (System.nanoTime() - t0) / 1e9);
            double[] minusInverseDiagonal = new double[n];
            for (int j = 0; j < n; j++) {
                minusInverseDiagonal[j] = -1 / g.get(j, j);
            }
            return new Inverse(g, minusInverseDiagonal);
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
    }

    private int threads(int items) {
        return Math.max(1, Math.min(params.effectiveParallelism(), Math.max(1, items)));
    }

    /** {@code X^T X + l2 I} into {@code g}, each worker accumulating whole rows taken from a shared counter. */
    private void gram(BinaryMatrix x, GramInverter.Matrix g, int threads, ProgressListener listener) {
        int n = x.items();
        int[] rowPtr = x.rowPtr();
        int[] rowItems = x.rowItems();
        int[] colPtr = x.colPtr();
        int[] colUsers = x.colUsers();
        AtomicInteger next = new AtomicInteger();
        Parallel.run(
                threads,
                "ease-gram",
                w -> {
                    double[] row = new double[n];
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        if ((i & 63) == 0) {
                            BinaryMatrix.checkInterrupted();
                        }
                        Arrays.fill(row, 0);
                        for (int e = colPtr[i]; e < colPtr[i + 1]; e++) {
                            int u = colUsers[e];
                            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                                row[rowItems[p]] += 1;
                            }
                        }
                        row[i] += params.l2();
                        g.setRow(i, row);
                    }
                },
                listener.intervalMillis(),
                () -> {});
    }

    /** Row {@code i} of {@code B}, top-k positive. */
    private NeighborLists prune(Inverse b, int[] movieIds, int threads, ProgressListener listener) {
        int n = movieIds.length;
        int k = Math.min(params.topK(), Math.max(1, n - 1));
        int[][] rowItems = new int[n][];
        float[][] rowWeights = new float[n][];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        listener.onProgress(TrainingPhase.NEIGHBORS, 0, n);
        Parallel.run(
                threads,
                "ease-prune",
                w -> {
                    RowTopK heap = new RowTopK(k);
                    double[] row = new double[n];
                    int[] items = new int[k];
                    float[] weights = new float[k];
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        b.weights(i, row);
                        for (int j = 0; j < n; j++) {
                            if (j != i) {
                                heap.offer(j, row[j]);
                            }
                        }
                        int kept = heap.drainSorted(items, weights, 1);
                        rowItems[i] = Arrays.copyOf(items, kept);
                        rowWeights[i] = Arrays.copyOf(weights, kept);
                        done.incrementAndGet();
                    }
                },
                listener.intervalMillis(),
                () -> listener.onProgress(TrainingPhase.NEIGHBORS, done.get(), n));
        listener.onProgress(TrainingPhase.NEIGHBORS, n, n);
        return RowTopK.assemble(movieIds, rowItems, rowWeights);
    }
}
