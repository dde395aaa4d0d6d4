package org.recofilms.training.evaluation;

/**
 * A mean over users with its standard error: the sample standard deviation (n - 1 in the denominator) divided by
 * the square root of n. With fewer than two users the standard error is not defined ({@code NaN}).
 *
 * @param mean the average of the per-user values
 * @param standardError sample standard deviation / sqrt(n), {@code NaN} when n < 2
 * @param users n
 */
public record Estimate(double mean, double standardError, int users) {

    /** The mean and standard error of {@code values}; an empty array gives mean 0. */
    public static Estimate of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Estimate(0, Double.NaN, 0);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new Estimate(mean, Double.NaN, n);
        }
        // two passes: the sum of squared deviations, not sum(x^2) - n mean^2, which cancels badly
        double squares = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
        }
        return new Estimate(mean, Math.sqrt(squares / (n - 1)) / Math.sqrt(n), n);
    }

    /** Whether the standard error is defined. */
    public boolean hasStandardError() {
        return !Double.isNaN(standardError);
    }

    /** standard error / |mean|: how precisely the metric is known, whatever its scale ({@code NaN} at mean 0). */
    public double relativeStandardError() {
        return mean == 0 ? Double.NaN : standardError / Math.abs(mean);
    }
}
