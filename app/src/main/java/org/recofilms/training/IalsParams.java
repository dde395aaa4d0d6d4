package org.recofilms.training;

/**
 * Parameters of implicit ALS ({@link IalsTrainer}).
 *
 * <p>The loss is Hu, Koren and Volinsky's (2008, the {@code implicit} library's) with a weight on the unobserved
 * cells as in Rendle et al.'s 2021 iALS: {@code sum over observed (u, i) of c (1 - x_u . y_i)^2 + unobservedWeight *
 * sum over unobserved (u, i) of (x_u . y_i)^2 + regularization (|X|^2 + |Y|^2)}, with confidence {@code c = 1 +
 * alpha} on every observed (binarised) cell. {@code unobservedWeight = 1} is exactly the {@code implicit} library's
 * model.
 *
 * @param factors latent dimensions (default 64)
 * @param regularization L2 weight on both factor matrices (default 0.1)
 * @param unobservedWeight weight of the unobserved cells (default 1: Hu et al.)
 * @param alpha confidence of an observed cell is {@code 1 + alpha} (default 10)
 * @param iterations alternating sweeps, items then users (default 15)
 * @param cgSteps conjugate-gradient steps per row and sweep, warm-started from the row's current vector (the
 *     {@code implicit} library's default 3); 0 solves every row exactly by Cholesky
 * @param minRatings movies with fewer rating rows are left out, counted over all rows (default 1: every movie)
 * @param positiveThreshold when {@code > 0}, only ratings {@code >= positiveThreshold} are interactions, in training
 *     and in fold-in; 0 keeps every rating (default 0)
 * @param randomSeed seed of the initial factors
 * @param parallelism worker threads; 0 means one per available processor
 */
public record IalsParams(
        int factors,
        double regularization,
        double unobservedWeight,
        double alpha,
        int iterations,
        int cgSteps,
        int minRatings,
        float positiveThreshold,
        long randomSeed,
        int parallelism) {

    public IalsParams {
        if (factors < 1 || factors > 1024) {
            throw new IllegalArgumentException("factors must be in [1, 1024], got " + factors);
        }
        if (!(regularization >= 0) || Double.isInfinite(regularization)) {
            throw new IllegalArgumentException("regularization must be finite and >= 0, got " + regularization);
        }
        if (!(unobservedWeight > 0) || Double.isInfinite(unobservedWeight)) {
            throw new IllegalArgumentException("unobservedWeight must be finite and > 0, got " + unobservedWeight);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (cgSteps < 0) {
            throw new IllegalArgumentException("cgSteps must be >= 0, got " + cgSteps);
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

    /** 64 factors, regularization 0.1, unobserved weight 1, alpha 10, 15 iterations, 3 CG steps. */
    public static IalsParams defaults() {
        return new IalsParams(64, 0.1, 1.0, 10.0, 15, 3, 1, 0f, 42, 0);
    }

    public IalsParams withFactors(int value) {
        return new IalsParams(
                value,
                regularization,
                unobservedWeight,
                alpha,
                iterations,
                cgSteps,
                minRatings,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withRegularization(double value) {
        return new IalsParams(
                factors,
                value,
                unobservedWeight,
                alpha,
                iterations,
                cgSteps,
                minRatings,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withUnobservedWeight(double value) {
        return new IalsParams(
                factors,
                regularization,
                value,
                alpha,
                iterations,
                cgSteps,
                minRatings,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withAlpha(double value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                value,
                iterations,
                cgSteps,
                minRatings,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withIterations(int value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                alpha,
                value,
                cgSteps,
                minRatings,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withCgSteps(int value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                alpha,
                iterations,
                value,
                minRatings,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withMinRatings(int value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                alpha,
                iterations,
                cgSteps,
                value,
                positiveThreshold,
                randomSeed,
                parallelism);
    }

    public IalsParams withPositiveThreshold(float value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                alpha,
                iterations,
                cgSteps,
                minRatings,
                value,
                randomSeed,
                parallelism);
    }

    public IalsParams withRandomSeed(long value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                alpha,
                iterations,
                cgSteps,
                minRatings,
                positiveThreshold,
                value,
                parallelism);
    }

    public IalsParams withParallelism(int value) {
        return new IalsParams(
                factors,
                regularization,
                unobservedWeight,
                alpha,
                iterations,
                cgSteps,
                minRatings,
                positiveThreshold,
                randomSeed,
                value);
    }

    /** Worker threads actually used. */
    public int effectiveParallelism() {
        return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
