package org.recofilms.training;

/**
 * Parameters of the item-based collaborative filter.
 *
 * <p>The defaults ({@link #seed()}) reproduce the seed exactly: movies with at least 50 ratings, raw
 * (not centred) ratings, plain cosine, 20 neighbours. Every option beyond the seed is off by default.
 *
 * @param minRatings movies with fewer rating rows than this are dropped before the matrix is built (seed:
 *     {@code min_ratings}, 50); counted over all rows given to the trainer, whatever {@code positiveThreshold}
 * @param kNeighbors neighbours kept per movie (seed: {@code k_neighbors}, 20)
 * @param shrinkage when {@code > 0}, similarities become {@code cos * co / (co + shrinkage)} where {@code co}
 *     is the number of users who rated both movies; 0 turns it off
 * @param minCoRatings pairs rated by fewer common users than this are not neighbours; 0 or 1 turns it off
 * @param positiveThreshold when {@code > 0}, only ratings {@code >= positiveThreshold} enter the matrix (the
 *     others are dropped, not set to zero); 0 turns it off
 * @param positiveValue what a kept rating contributes when {@code positiveThreshold > 0}
 * @param parallelism worker threads for the similarity phase; 0 means one per available processor
 */
public record ItemKnnParams(
        int minRatings,
        int kNeighbors,
        double shrinkage,
        int minCoRatings,
        float positiveThreshold,
        PositiveValue positiveValue,
        int parallelism) {

    /** What a rating above the positive threshold contributes to the item x user matrix. */
    public enum PositiveValue {
        /** 1.0, an implicit "liked" (binarised matrix). */
        ONE,
        /** The rating itself. */
        RATING
    }

    public ItemKnnParams {
        if (minRatings < 0) {
            throw new IllegalArgumentException("minRatings must be >= 0, got " + minRatings);
        }
        if (kNeighbors < 1) {
            throw new IllegalArgumentException("kNeighbors must be >= 1, got " + kNeighbors);
        }
        if (!(shrinkage >= 0) || Double.isInfinite(shrinkage)) {
            throw new IllegalArgumentException("shrinkage must be finite and >= 0, got " + shrinkage);
        }
        if (minCoRatings < 0) {
            throw new IllegalArgumentException("minCoRatings must be >= 0, got " + minCoRatings);
        }
        if (!(positiveThreshold >= 0) || Float.isInfinite(positiveThreshold)) {
            throw new IllegalArgumentException("positiveThreshold must be finite and >= 0, got " + positiveThreshold);
        }
        if (positiveValue == null) {
            throw new IllegalArgumentException("positiveValue must not be null");
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must be >= 0, got " + parallelism);
        }
    }

    /** The seed's model: min_ratings 50, k_neighbors 20, plain cosine on raw ratings. */
    public static ItemKnnParams seed() {
        return new ItemKnnParams(50, 20, 0, 0, 0f, PositiveValue.RATING, 0);
    }

    /** A copy with another {@code minRatings}. */
    public ItemKnnParams withMinRatings(int value) {
        return new ItemKnnParams(
                value, kNeighbors, shrinkage, minCoRatings, positiveThreshold, positiveValue, parallelism);
    }

    /** A copy with another {@code kNeighbors}. */
    public ItemKnnParams withKNeighbors(int value) {
        return new ItemKnnParams(
                minRatings, value, shrinkage, minCoRatings, positiveThreshold, positiveValue, parallelism);
    }

    /** A copy with another {@code shrinkage} (0 turns it off). */
    public ItemKnnParams withShrinkage(double value) {
        return new ItemKnnParams(
                minRatings, kNeighbors, value, minCoRatings, positiveThreshold, positiveValue, parallelism);
    }

    /** A copy with another {@code minCoRatings} (0 or 1 turns it off). */
    public ItemKnnParams withMinCoRatings(int value) {
        return new ItemKnnParams(
                minRatings, kNeighbors, shrinkage, value, positiveThreshold, positiveValue, parallelism);
    }

    /** Keeps only ratings {@code >= threshold}, each contributing {@code value}. */
    public ItemKnnParams withPositiveOnly(float threshold, PositiveValue value) {
        return new ItemKnnParams(minRatings, kNeighbors, shrinkage, minCoRatings, threshold, value, parallelism);
    }

    /** A copy with another {@code parallelism} (0: one thread per processor). */
    public ItemKnnParams withParallelism(int value) {
        return new ItemKnnParams(
                minRatings, kNeighbors, shrinkage, minCoRatings, positiveThreshold, positiveValue, value);
    }

    /** Worker threads actually used. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }

    /** True when co-rating counts are needed (shrinkage or a minimum co-rating count). */
    boolean needsCoCounts() {
        return shrinkage > 0 || minCoRatings > 1;
    }
}
