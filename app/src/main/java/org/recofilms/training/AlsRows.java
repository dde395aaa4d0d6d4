package org.recofilms.training;

/**
 * The per-row least squares of implicit ALS, shared by training and fold-in. For one row (a user, or an item)
 * with observed columns {@code cols[from..to)} of the fixed side's factors {@code y} ({@code f} floats per column),
 * the vector {@code x} minimising {@code sum over observed of c (1 - x . y_j)^2 + w0 sum over unobserved of
 * (x . y_j)^2 + reg |x|^2} solves {@code (w0 YtY + (c - w0) sum y_j y_j^T + reg I) x = c sum y_j}: the Gram trick,
 * so only the observed columns are read.
 */
final class AlsRows {

    private AlsRows() {}

    /** {@code Y^T Y} in double, {@code f x f} row-major, over rows {@code [from, to)} of {@code y}. */
    static void addGram(float[] y, int from, int to, int f, double[] out) {
        for (int r = from; r < to; r++) {
            int base = r * f;
            for (int a = 0; a < f; a++) {
                double ya = y[base + a];
                int row = a * f;
                for (int b = 0; b < f; b++) {
                    out[row + b] += ya * y[base + b];
                }
            }
        }
    }

    /** Per-thread buffers for {@code f} factors. */
    static final class Work {
        final double[] a;
        final double[] b;
        final double[] r;
        final double[] p;
        final double[] ap;
        final double[] x;

        Work(int f) {
            a = new double[f * f];
            b = new double[f];
            r = new double[f];
            p = new double[f];
            ap = new double[f];
            x = new double[f];
        }
    }

    /** Solves exactly by Cholesky; writes {@code x} into {@code out[outBase..outBase + f)}. */
    static void solveExact(
            double[] gram,
            double w0,
            double reg,
            double c,
            float[] y,
            int f,
            int[] cols,
            int from,
            int to,
            float[] out,
            int outBase,
            Work w) {
        double[] a = w.a;
        double[] b = w.b;
        for (int k = 0; k < f * f; k++) {
            a[k] = w0 * gram[k];
        }
        java.util.Arrays.fill(b, 0);
        double extra = c - w0;
        for (int e = from; e < to; e++) {
            int base = cols[e] * f;
            for (int i = 0; i < f; i++) {
                double yi = y[base + i];
                b[i] += c * yi;
                double s = extra * yi;
                int row = i * f;
                for (int j = 0; j <= i; j++) {
                    a[row + j] += s * y[base + j];
                }
            }
        }
        // Cholesky of the lower triangle, then two triangular solves.
        for (int i = 0; i < f; i++) {
            a[i * f + i] += reg;
        }
        for (int i = 0; i < f; i++) {
            int ri = i * f;
            for (int j = 0; j <= i; j++) {
                int rj = j * f;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                if (i == j) {
                    a[ri + i] = Math.sqrt(Math.max(s, 1e-300));
                } else {
                    a[ri + j] = s / a[rj + j];
                }
            }
        }
        double[] x = w.x;
        for (int i = 0; i < f; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= a[i * f + k] * x[k];
            }
            x[i] = s / a[i * f + i];
        }
        for (int i = f - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < f; k++) {
                s -= a[k * f + i] * x[k];
            }
            x[i] = s / a[i * f + i];
        }
        for (int i = 0; i < f; i++) {
            out[outBase + i] = (float) x[i];
        }
    }

    /**
     * {@code steps} conjugate-gradient steps from the current {@code out[outBase..outBase + f)} (the
     * {@code implicit} library's solver); each step lowers the row's loss.
     */
    static void solveCg(
            double[] gram,
            double w0,
            double reg,
            double c,
            float[] y,
            int f,
            int[] cols,
            int from,
            int to,
            int steps,
            float[] out,
            int outBase,
            Work w) {
        double[] x = w.x;
        double[] r = w.r;
        double[] p = w.p;
        double[] ap = w.ap;
        for (int i = 0; i < f; i++) {
            x[i] = out[outBase + i];
        }
        // r = b - A x
        multiply(gram, w0, reg, c, y, f, cols, from, to, x, r);
        for (int i = 0; i < f; i++) {
            r[i] = -r[i];
        }
        for (int e = from; e < to; e++) {
            int base = cols[e] * f;
            for (int i = 0; i < f; i++) {
                r[i] += c * y[base + i];
            }
        }
        System.arraycopy(r, 0, p, 0, f);
        double rsOld = dot(r, r, f);
        for (int step = 0; step < steps && rsOld > 1e-20; step++) {
            multiply(gram, w0, reg, c, y, f, cols, from, to, p, ap);
            double pap = dot(p, ap, f);
            if (!(pap > 0)) {
                break;
            }
            double alpha = rsOld / pap;
            for (int i = 0; i < f; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double rsNew = dot(r, r, f);
            double beta = rsNew / rsOld;
            for (int i = 0; i < f; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rsOld = rsNew;
        }
        for (int i = 0; i < f; i++) {
            out[outBase + i] = (float) x[i];
        }
    }

    /**
     * {@code out = (w0 YtY + (c - w0) sum y_j y_j^T + reg I) v}. The Gram product runs as one axpy per row of the
     * symmetric {@code YtY} (which the JIT vectorises) and the observed dot products with four partial sums (a
     * floating-point sum is not reordered by the JIT, so one accumulator would wait on its own latency).
     */
    private static void multiply(
            double[] gram,
            double w0,
            double reg,
            double c,
            float[] y,
            int f,
            int[] cols,
            int from,
            int to,
            double[] v,
            double[] out) {
        for (int i = 0; i < f; i++) {
            out[i] = reg * v[i];
        }
        for (int j = 0; j < f; j++) {
            double vj = w0 * v[j];
            int row = j * f;
            for (int i = 0; i < f; i++) {
                out[i] += gram[row + i] * vj;
            }
        }
        double extra = c - w0;
        for (int e = from; e < to; e++) {
            int base = cols[e] * f;
            double s = extra * dot(y, base, v, f);
            for (int i = 0; i < f; i++) {
                out[i] += s * y[base + i];
            }
        }
    }

    /** {@code y[base..base + f) . v} with four partial sums. */
    private static double dot(float[] y, int base, double[] v, int f) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < f; i += 4) {
            s0 += y[base + i] * v[i];
            s1 += y[base + i + 1] * v[i + 1];
            s2 += y[base + i + 2] * v[i + 2];
            s3 += y[base + i + 3] * v[i + 3];
        }
        for (; i < f; i++) {
            s0 += y[base + i] * v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double dot(double[] a, double[] b, int f) {
        double s = 0;
        for (int i = 0; i < f; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
