package org.recofilms.training;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RP3beta (Paudel et al. 2017, as implemented by Dacrema et al. 2019): item-item weights from a three-step random
 * walk item -> user -> item on the binarised interaction graph, with a popularity penalty.
 *
 * <p>What it computes, with {@code X} the binarised user x item matrix ({@link BinaryMatrix}: {@code minRatings}
 * and {@code positiveThreshold} as there), {@code d(u)} a user's and {@code d(i)} an item's number of entries:
 * {@code P_ui = X / d(u)} and {@code P_iu = X^T / d(i)}, both raised element-wise to {@code alpha};
 * {@code W = P_iu P_ui}, that is {@code W_ij = d(i)^-alpha * sum over users u of i and j of d(u)^-alpha}, then
 * divided by {@code d(j)^beta}; the diagonal is zeroed; each row keeps its {@code topK} largest positive weights
 * (descending, then movie id ascending) and, when {@code normalizeSimilarity}, is divided by its sum. Scoring a
 * user adds {@code W_ij} of each history movie {@code i} to every neighbour {@code j}, as item-kNN does.
 *
 * <p>How: per item {@code i}, a dense accumulator over items gathers {@code d(u)^-alpha} from the rows of
 * {@code i}'s users (the same {@code sum over users of d(u)^2} work as item-kNN), the non-zero slots go through a
 * bounded heap and are cleared (one dense scan per item). Workers take items from a shared counter; each owns an
 * accumulator of {@code 8 * items} bytes and a heap; the result is {@code 8 * topK * items} bytes.
 */
public final class Rp3BetaTrainer {

    private final Rp3BetaParams params;

    public Rp3BetaTrainer(Rp3BetaParams params) {
        this.params = params;
    }

    public Rp3BetaParams params() {
        return params;
    }

    public NeighborLists train(Ratings ratings) {
        return train(ratings, ProgressListener.NONE);
    }

    /** Computes the lists of every movie kept by {@code minRatings}; an empty model when none is. */
    public NeighborLists train(Ratings ratings, ProgressListener listener) {
        int n = ratings.size();
        listener.onProgress(TrainingPhase.MATRIX, 0, n);
        BinaryMatrix x = BinaryMatrix.of(ratings, params.minRatings(), params.positiveThreshold());
        listener.onProgress(TrainingPhase.MATRIX, n, n);
        int nItems = x.items();
        double alpha = params.alpha();
        double[] userWeight = new double[x.users()];
        for (int u = 0; u < userWeight.length; u++) {
            int d = x.userDegree(u);
            userWeight[u] = d == 0 ? 0 : Math.pow(d, -alpha);
        }
        double[] rowScale = new double[nItems];
        double[] penalty = new double[nItems];
        for (int i = 0; i < nItems; i++) {
            int d = x.itemDegree(i);
            rowScale[i] = d == 0 ? 0 : Math.pow(d, -alpha);
            penalty[i] = d == 0 ? 0 : Math.pow(d, -params.beta());
        }
        int[][] rowItems = new int[nItems][];
        float[][] rowWeights = new float[nItems][];
        int k = Math.min(params.topK(), Math.max(1, nItems - 1));
        int threads = Math.max(1, Math.min(params.effectiveParallelism(), nItems));
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        int[] rowPtr = x.rowPtr();
        int[] rowItemsOfUser = x.rowItems();
        int[] colPtr = x.colPtr();
        int[] colUsers = x.colUsers();
        listener.onProgress(TrainingPhase.SIMILARITIES, 0, nItems);
        Parallel.run(
                threads,
                "rp3beta",
                w -> {
                    double[] acc = new double[nItems];
                    RowTopK heap = new RowTopK(k);
                    int[] outItems = new int[k];
                    float[] outWeights = new float[k];
                    int i;
                    while ((i = next.getAndIncrement()) < nItems) {
                        if ((i & 63) == 0) {
                            BinaryMatrix.checkInterrupted();
                        }
                        for (int e = colPtr[i]; e < colPtr[i + 1]; e++) {
                            int u = colUsers[e];
                            double wu = userWeight[u];
                            for (int p = rowPtr[u], end = rowPtr[u + 1]; p < end; p++) {
                                acc[rowItemsOfUser[p]] += wu;
                            }
                        }
                        // One dense scan (items^2 in all, small beside the pairs) instead of tracking touched slots.
                        acc[i] = 0;
                        double scaleOfRow = rowScale[i];
                        for (int j = 0; j < nItems; j++) {
                            double a = acc[j];
                            if (a != 0) {
                                heap.offer(j, a * scaleOfRow * penalty[j]);
                                acc[j] = 0;
                            }
                        }
                        double scale = 1;
                        if (params.normalizeSimilarity()) {
                            double sum = heap.sum();
                            scale = sum > 0 ? 1 / sum : 1;
                        }
                        int kept = heap.drainSorted(outItems, outWeights, scale);
                        rowItems[i] = java.util.Arrays.copyOf(outItems, kept);
                        rowWeights[i] = java.util.Arrays.copyOf(outWeights, kept);
                        done.incrementAndGet();
                    }
                },
                listener.intervalMillis(),
                () -> listener.onProgress(TrainingPhase.SIMILARITIES, done.get(), nItems));
        listener.onProgress(TrainingPhase.SIMILARITIES, nItems, nItems);
        return RowTopK.assemble(x.movieIds(), rowItems, rowWeights);
    }
}
