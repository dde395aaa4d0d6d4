package org.recofilms.training;

/**
 * Parameters of EASE ({@link EaseTrainer}).
 *
 * @param l2 the L2 regularisation added to the Gram matrix's diagonal (Steck 2019 tunes it around 100-1000 on
 *     MovieLens 20M; default 500)
 * @param topK weights kept per movie for serving (default 100)
 * @param minRatings movies with fewer rating rows are left out, counted over all rows as item-kNN does; this bounds
 *     the dense matrix (8 bytes * items^2) (default 50: 13.8k items on ML-20M-shaped data, 1.5 GB)
 * @param positiveThreshold when {@code > 0}, only ratings {@code >= positiveThreshold} are interactions; 0 keeps
 *     every rating (default 0)
 * @param parallelism worker threads for the Gram matrix and the pruning; 0 means one per available processor
 */
public record EaseParams(double l2, int topK, int minRatings, float positiveThreshold, int parallelism) {

    /** Largest item count whose dense matrix fits one Java array. */
    public static final int MAX_ITEMS = 46_340;

    public EaseParams {
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be finite and > 0, got " + l2);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        if (minRatings < 0) {
            throw new IllegalArgumentException("minRatings must be >= 0, got " + minRatings);
        }
        if (!(positiveThreshold >= 0) || Float.isInfinite(positiveThreshold)) {
            throw new IllegalArgumentException("positiveThreshold must be finite and >= 0, got " + positiveThreshold);
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must be >= 0, got " + parallelism);
        }
    }

    /** l2 500, top 100, movies with at least 50 ratings, every rating an interaction. */
    public static EaseParams defaults() {
        return new EaseParams(500, 100, 50, 0f, 0);
    }

    public EaseParams withL2(double value) {
        return new EaseParams(value, topK, minRatings, positiveThreshold, parallelism);
    }

    public EaseParams withTopK(int value) {
        return new EaseParams(l2, value, minRatings, positiveThreshold, parallelism);
    }

    public EaseParams withMinRatings(int value) {
        return new EaseParams(l2, topK, value, positiveThreshold, parallelism);
    }

    public EaseParams withPositiveThreshold(float value) {
        return new EaseParams(l2, topK, minRatings, value, parallelism);
    }

    public EaseParams withParallelism(int value) {
        return new EaseParams(l2, topK, minRatings, positiveThreshold, value);
    }

    /** Worker threads actually used. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
