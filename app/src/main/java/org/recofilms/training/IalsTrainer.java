package org.recofilms.training;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleConsumer;

/**
 * Implicit alternating least squares (Hu, Koren and Volinsky 2008; the loss of {@link IalsParams}) over the
 * binarised user x item matrix ({@link BinaryMatrix}: {@code minRatings} and {@code positiveThreshold} as there).
 *
 * <p>How: factors start as {@code N(0, 0.01^2)} from {@code randomSeed}; each iteration solves every item row
 * against the user factors, then every user row against the item factors (so the trained user vectors are the
 * fold-in of their rows against the final items, up to the solver's accuracy). A row's system uses the Gram trick:
 * {@code Y^T Y} once per half-iteration, then only the row's observed columns, and is solved either by
 * {@code cgSteps} warm-started conjugate-gradient steps in single precision ({@code O(nnz f + rows f^2)} per step
 * and half-iteration)
 * or exactly by Cholesky ({@code O(nnz f^2 + rows f^3)}). Workers take 64 rows at a time from a shared counter.
 * Memory: {@code 4 f (users + items)} bytes of factors plus the matrix (8 bytes per entry).
 */
public final class IalsTrainer {

    private static final int CHUNK = 64;

    private final IalsParams params;

    public IalsTrainer(IalsParams params) {
        this.params = params;
    }

    public IalsParams params() {
        return params;
    }

    public FactorModel train(Ratings ratings) {
        return train(ratings, ProgressListener.NONE);
    }

    public FactorModel train(Ratings ratings, ProgressListener listener) {
        return fit(ratings, listener, null).model();
    }

    /** The model with the training users' factors, for tests. */
    record Fitted(FactorModel model, int[] userIds, float[] userFactors) {}

    /** Trains; {@code lossAfterIteration}, when not null, receives the loss after each iteration. */
    Fitted fit(Ratings ratings, ProgressListener listener, DoubleConsumer lossAfterIteration) {
        int rows = ratings.size();
        listener.onProgress(TrainingPhase.MATRIX, 0, rows);
        BinaryMatrix x = BinaryMatrix.of(ratings, params.minRatings(), params.positiveThreshold());
        listener.onProgress(TrainingPhase.MATRIX, rows, rows);
        int f = params.factors();
        int nUsers = x.users();
        int nItems = x.items();
        SplittableRandom rng = new SplittableRandom(params.randomSeed());
        float[] users = new float[nUsers * f];
        float[] items = new float[nItems * f];
        for (int k = 0; k < users.length; k++) {
            users[k] = (float) (0.01 * gaussian(rng));
        }
        for (int k = 0; k < items.length; k++) {
            items[k] = (float) (0.01 * gaussian(rng));
        }
        int threads = Math.max(1, params.effectiveParallelism());
        int halves = 2 * params.iterations();
        listener.onProgress(TrainingPhase.FACTORS, 0, halves);
        for (int it = 0; it < params.iterations(); it++) {
            sweep(nItems, x.colPtr(), x.colUsers(), users, nUsers, items, threads, listener);
            listener.onProgress(TrainingPhase.FACTORS, 2L * it + 1, halves);
            sweep(nUsers, x.rowPtr(), x.rowItems(), items, nItems, users, threads, listener);
            listener.onProgress(TrainingPhase.FACTORS, 2L * it + 2, halves);
            if (lossAfterIteration != null) {
                lossAfterIteration.accept(loss(x, users, items));
            }
        }
        listener.onProgress(TrainingPhase.FACTORS, halves, halves);
        FactorModel model = new FactorModel(
                x.movieIds(),
                f,
                items,
                gram(items, nItems, f, threads),
                params.regularization(),
                params.unobservedWeight(),
                params.alpha(),
                params.positiveThreshold());
        return new Fitted(model, x.userIds(), users);
    }

    /** Solves every row of {@code target} against the fixed side. */
    private void sweep(
            int nRows,
            int[] ptr,
            int[] cols,
            float[] fixed,
            int nFixed,
            float[] target,
            int threads,
            ProgressListener listener) {
        int f = params.factors();
        double[] gram = gram(fixed, nFixed, f, threads);
        float[] gramFloats = AlsRows.toFloats(gram);
        double w0 = params.unobservedWeight();
        double reg = params.regularization();
        double c = 1 + params.alpha();
        int steps = params.cgSteps();
        AtomicInteger next = new AtomicInteger();
        Parallel.run(
                Math.max(1, Math.min(threads, (nRows + CHUNK - 1) / CHUNK)),
                "ials",
                w -> {
                    AlsRows.Work work = new AlsRows.Work(f);
                    int start;
                    while ((start = next.getAndAdd(CHUNK)) < nRows) {
                        BinaryMatrix.checkInterrupted();
                        for (int r = start, end = Math.min(nRows, start + CHUNK); r < end; r++) {
                            if (steps == 0) {
                                AlsRows.solveExact(
                                        gram, w0, reg, c, fixed, f, cols, ptr[r], ptr[r + 1], target, r * f, work);
                            } else {
                                AlsRows.solveCg(
                                        gramFloats,
                                        (float) w0,
                                        (float) reg,
                                        (float) c,
                                        fixed,
                                        f,
                                        cols,
                                        ptr[r],
                                        ptr[r + 1],
                                        steps,
                                        target,
                                        r * f,
                                        work);
                            }
                        }
                    }
                },
                listener.intervalMillis(),
                () -> {});
    }

    /**
     * {@code Y^T Y}: partial sums over fixed blocks of 4,096 rows, taken by the workers and added in block order, so
     * the result does not depend on the number of threads.
     */
    private static double[] gram(float[] y, int rows, int f, int threads) {
        int block = 4096;
        int blocks = Math.max(1, (rows + block - 1) / block);
        double[][] partial = new double[blocks][f * f];
        AtomicInteger next = new AtomicInteger();
        Parallel.run(
                Math.max(1, Math.min(threads, blocks)),
                "ials-gram",
                w -> {
                    int k;
                    while ((k = next.getAndIncrement()) < blocks) {
                        AlsRows.addGram(y, k * block, Math.min(rows, (k + 1) * block), f, partial[k]);
                    }
                },
                2_000,
                () -> {});
        double[] out = partial[0];
        for (int k = 1; k < blocks; k++) {
            for (int e = 0; e < out.length; e++) {
                out[e] += partial[k][e];
            }
        }
        return out;
    }

    /** The training loss of {@link IalsParams} for the current factors. */
    double loss(BinaryMatrix x, float[] users, float[] items) {
        int f = params.factors();
        double w0 = params.unobservedWeight();
        double c = 1 + params.alpha();
        double[] gram = gram(items, x.items(), f, 1);
        double total = 0;
        int[] rowPtr = x.rowPtr();
        int[] rowItems = x.rowItems();
        for (int u = 0; u < x.users(); u++) {
            int ub = u * f;
            double quad = 0;
            for (int a = 0; a < f; a++) {
                double s = 0;
                for (int b = 0; b < f; b++) {
                    s += gram[a * f + b] * users[ub + b];
                }
                quad += users[ub + a] * s;
            }
            total += w0 * quad;
            for (int p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
                int ib = rowItems[p] * f;
                double s = 0;
                for (int k = 0; k < f; k++) {
                    s += (double) users[ub + k] * items[ib + k];
                }
                total += c * (1 - s) * (1 - s) - w0 * s * s;
            }
        }
        double norms = 0;
        for (float v : users) {
            norms += (double) v * v;
        }
        for (float v : items) {
            norms += (double) v * v;
        }
        return total + params.regularization() * norms;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
