package org.recofilms.training;

/**
 * Parameters of RP3beta ({@link Rp3BetaTrainer}).
 *
 * @param alpha exponent of both transition probabilities (Dacrema et al.'s default 1.0)
 * @param beta popularity penalty: weight {@code W_ij} is divided by {@code degree(j)^beta} (default 0.6)
 * @param topK neighbours kept per movie (default 100)
 * @param minRatings movies with fewer rating rows are dropped, counted over all rows as item-kNN does
 *     (default 1: every movie)
 * @param positiveThreshold when {@code > 0}, only ratings {@code >= positiveThreshold} are interactions; 0 keeps
 *     every rating (default 0)
 * @param normalizeSimilarity when true each kept row is L1-normalised (Dacrema: false)
 * @param parallelism worker threads; 0 means one per available processor
 */
public record Rp3BetaParams(
        double alpha,
        double beta,
        int topK,
        int minRatings,
        float positiveThreshold,
        boolean normalizeSimilarity,
        int parallelism) {

    public Rp3BetaParams {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
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

    /** Dacrema et al.'s defaults: alpha 1, beta 0.6, top 100, no normalisation, every movie, every rating. */
    public static Rp3BetaParams defaults() {
        return new Rp3BetaParams(1.0, 0.6, 100, 1, 0f, false, 0);
    }

    public Rp3BetaParams withAlpha(double value) {
        return new Rp3BetaParams(value, beta, topK, minRatings, positiveThreshold, normalizeSimilarity, parallelism);
    }

    public Rp3BetaParams withBeta(double value) {
        return new Rp3BetaParams(alpha, value, topK, minRatings, positiveThreshold, normalizeSimilarity, parallelism);
    }

    public Rp3BetaParams withTopK(int value) {
        return new Rp3BetaParams(alpha, beta, value, minRatings, positiveThreshold, normalizeSimilarity, parallelism);
    }

    public Rp3BetaParams withMinRatings(int value) {
        return new Rp3BetaParams(alpha, beta, topK, value, positiveThreshold, normalizeSimilarity, parallelism);
    }

    public Rp3BetaParams withPositiveThreshold(float value) {
        return new Rp3BetaParams(alpha, beta, topK, minRatings, value, normalizeSimilarity, parallelism);
    }

    public Rp3BetaParams withNormalizeSimilarity(boolean value) {
        return new Rp3BetaParams(alpha, beta, topK, minRatings, positiveThreshold, value, parallelism);
    }

    public Rp3BetaParams withParallelism(int value) {
        return new Rp3BetaParams(alpha, beta, topK, minRatings, positiveThreshold, normalizeSimilarity, value);
    }

    /** Worker threads actually used. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
