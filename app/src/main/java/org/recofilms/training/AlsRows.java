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

    /**
     * Adds {@code Y^T Y} over rows {@code [from, to)} of {@code y} to {@code out} ({@code f x f} row-major, both
     * triangles). The lower triangle is accumulated in floats four rows at a time (one fused, vectorised axpy per
     * triangle row; a block of 4,096 rows keeps the float sums short), then added in double and mirrored.
     */
    static void addGram(float[] y, int from, int to, int f, double[] out) {
        float[] lower = new float[f * f];
        int r = from;
        for (; r + 3 < to; r += 4) {
            int b0 = r * f;
            int b1 = b0 + f;
            int b2 = b1 + f;
            int b3 = b2 + f;
            for (int a = 0; a < f; a++) {
                float y0 = y[b0 + a];
                float y1 = y[b1 + a];
                float y2 = y[b2 + a];
                float y3 = y[b3 + a];
                int row = a * f;
                for (int b = 0; b <= a; b++) {
                    lower[row + b] += (y0 * y[b0 + b] + y1 * y[b1 + b]) + (y2 * y[b2 + b] + y3 * y[b3 + b]);
                }
            }
        }
        for (; r < to; r++) {
            int base = r * f;
            for (int a = 0; a < f; a++) {
                float ya = y[base + a];
                int row = a * f;
                for (int b = 0; b <= a; b++) {
                    lower[row + b] += ya * y[base + b];
                }
            }
        }
        for (int a = 0; a < f; a++) {
            for (int b = 0; b <= a; b++) {
                double v = lower[a * f + b];
                out[a * f + b] += v;
                if (b != a) {
                    out[b * f + a] += v;
                }
            }
        }
    }

    /** Observed columns gathered at a time by {@link #solveExact}: their two copies stay in the L2 cache. */
    static final int CHUNK = 256;

    /**
     * Per-thread buffers for {@code f} factors: double for the exact solve (with the gathered columns, factor-major,
     * scaled and plain), float for conjugate gradient.
     */
    static final class Work {
        final double[] a;
        final double[] b;
        final double[] x;
        final double[] scaled;
        final double[] plain;
        final float[] xf;
        final float[] rf;
        final float[] pf;
        final float[] apf;

        Work(int f) {
            a = new double[f * f];
            b = new double[f];
            x = new double[f];
            scaled = new double[CHUNK * f];
            plain = new double[CHUNK * f];
            xf = new float[f];
            rf = new float[f];
            pf = new float[f];
            apf = new float[f];
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
        normalEquations(gram, w0, c, y, f, cols, from, to, w);
        double[] a = w.a;
        double[] b = w.b;
        // Cholesky of the lower triangle, then two triangular solves.
        for (int i = 0; i < f; i++) {
            a[i * f + i] += reg;
        }
        cholesky(a, f);
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
     * Cholesky of the lower triangle of {@code a} in place, row by row: entry {@code (i, j)} is
     * {@code (a[i][j] - sum over k < j of L[i][k] L[j][k]) / L[j][j]}, the sum in ascending {@code k}. Four rows go
     * together through the columns left of them, so four independent sums share each load of row {@code j} (one
     * sum alone waits on its own subtractions); every entry gets the same operations in the same order as the
     * one-row loop (and the Python loader).
     */
    static void cholesky(double[] a, int f) {
        int full = f - f % 4;
        for (int i0 = 0; i0 < full; i0 += 4) {
            int r0 = i0 * f;
            int r1 = r0 + f;
            int r2 = r1 + f;
            int r3 = r2 + f;
            for (int j = 0; j < i0; j++) {
                int rj = j * f;
                double s0 = a[r0 + j];
                double s1 = a[r1 + j];
                double s2 = a[r2 + j];
                double s3 = a[r3 + j];
                for (int k = 0; k < j; k++) {
                    double v = a[rj + k];
                    s0 -= a[r0 + k] * v;
                    s1 -= a[r1 + k] * v;
                    s2 -= a[r2 + k] * v;
                    s3 -= a[r3 + k] * v;
                }
                double d = a[rj + j];
                a[r0 + j] = s0 / d;
                a[r1 + j] = s1 / d;
                a[r2 + j] = s2 / d;
                a[r3 + j] = s3 / d;
            }
            choleskyRows(a, f, i0, i0 + 4, i0);
        }
        choleskyRows(a, f, full, f, 0);
    }

    /** Rows {@code [from, to)} of {@link #cholesky}, from column {@code firstColumn} on (the ones left of it done). */
    private static void choleskyRows(double[] a, int f, int from, int to, int firstColumn) {
        for (int i = from; i < to; i++) {
            int ri = i * f;
            for (int j = firstColumn; j <= i; j++) {
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
    }

    /**
     * The row's normal equations without the regularisation: the lower triangle of
     * {@code w0 YtY + (c - w0) sum y_j y_j^T} into {@code w.a} (the entries above the diagonal hold {@code w0 YtY}'s)
     * and {@code c sum y_j} into {@code w.b}.
     */
    static void normalEquations(
            double[] gram, double w0, double c, float[] y, int f, int[] cols, int from, int to, Work w) {
        double[] a = w.a;
        double[] b = w.b;
        for (int k = 0; k < f * f; k++) {
            a[k] = w0 * gram[k];
        }
        java.util.Arrays.fill(b, 0);
        for (int e = from; e < to; e++) {
            int base = cols[e] * f;
            for (int i = 0; i < f; i++) {
                b[i] += c * y[base + i];
            }
        }
        for (int start = from; start < to; start += CHUNK) {
            addObserved(c - w0, y, f, cols, start, Math.min(to, start + CHUNK), a, w);
        }
    }

    /**
     * Adds {@code extra * y_j y_j^T} over the observed columns {@code cols[from..to)} (at most {@link #CHUNK}) to the
     * lower triangle of {@code a}. Every entry gets the same additions in the same order as one rank-one update per
     * column, {@code a[i][j] += (extra * y_j[i]) * y_j[j]} column by column, so the doubles are those of that
     * simpler loop (and of the Python loader, which runs it): only the loop order changes. The columns are first
     * gathered factor-major, then the triangle goes in 4 x 4 blocks, sixteen independent sums held in registers
     * over the columns, instead of a load and a store of {@code a} for every product: about 1.5x the speed here.
     */
    private static void addObserved(double extra, float[] y, int f, int[] cols, int from, int to, double[] a, Work w) {
        int len = to - from;
        double[] scaled = w.scaled;
        double[] plain = w.plain;
        for (int e = 0; e < len; e++) {
            int base = cols[from + e] * f;
            for (int i = 0; i < f; i++) {
                double yi = y[base + i];
                scaled[i * len + e] = extra * yi;
                plain[i * len + e] = yi;
            }
        }
        int full = f - f % 4;
        for (int ib = 0; ib < full; ib += 4) {
            for (int jb = 0; jb <= ib; jb += 4) {
                addBlock(a, f, ib, jb, scaled, plain, len);
            }
        }
        for (int i = full; i < f; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * f + j];
                int si = i * len;
                int pj = j * len;
                for (int e = 0; e < len; e++) {
                    sum += scaled[si + e] * plain[pj + e];
                }
                a[i * f + j] = sum;
            }
        }
    }

    /** One 4 x 4 block of {@link #addObserved} at rows {@code ib..ib+3}, columns {@code jb..jb+3} (lower part only). */
    private static void addBlock(double[] a, int f, int ib, int jb, double[] scaled, double[] plain, int len) {
        int r0 = ib * f + jb;
        int r1 = r0 + f;
        int r2 = r1 + f;
        int r3 = r2 + f;
        double a00 = a[r0], a01 = a[r0 + 1], a02 = a[r0 + 2], a03 = a[r0 + 3];
        double a10 = a[r1], a11 = a[r1 + 1], a12 = a[r1 + 2], a13 = a[r1 + 3];
        double a20 = a[r2], a21 = a[r2 + 1], a22 = a[r2 + 2], a23 = a[r2 + 3];
        double a30 = a[r3], a31 = a[r3 + 1], a32 = a[r3 + 2], a33 = a[r3 + 3];
        int s0 = ib * len;
        int s1 = s0 + len;
        int s2 = s1 + len;
        int s3 = s2 + len;
        int p0 = jb * len;
        int p1 = p0 + len;
        int p2 = p1 + len;
        int p3 = p2 + len;
        for (int e = 0; e < len; e++) {
            double x0 = scaled[s0 + e], x1 = scaled[s1 + e], x2 = scaled[s2 + e], x3 = scaled[s3 + e];
            double y0 = plain[p0 + e], y1 = plain[p1 + e], y2 = plain[p2 + e], y3 = plain[p3 + e];
            a00 += x0 * y0;
            a01 += x0 * y1;
            a02 += x0 * y2;
            a03 += x0 * y3;
            a10 += x1 * y0;
            a11 += x1 * y1;
            a12 += x1 * y2;
            a13 += x1 * y3;
            a20 += x2 * y0;
            a21 += x2 * y1;
            a22 += x2 * y2;
            a23 += x2 * y3;
            a30 += x3 * y0;
            a31 += x3 * y1;
            a32 += x3 * y2;
            a33 += x3 * y3;
        }
        // the lower triangle: on a diagonal block (jb == ib) the entries above it are left as they were
        a[r0] = a00;
        a[r1] = a10;
        a[r1 + 1] = a11;
        a[r2] = a20;
        a[r2 + 1] = a21;
        a[r2 + 2] = a22;
        a[r3] = a30;
        a[r3 + 1] = a31;
        a[r3 + 2] = a32;
        a[r3 + 3] = a33;
        if (jb < ib) {
            a[r0 + 1] = a01;
            a[r0 + 2] = a02;
            a[r0 + 3] = a03;
            a[r1 + 2] = a12;
            a[r1 + 3] = a13;
            a[r2 + 3] = a23;
        }
    }

    /**
     * {@code steps} conjugate-gradient steps from the current {@code out[outBase..outBase + f)} (the
     * {@code implicit} library's solver, in single precision as there); each step lowers the row's loss.
     * {@code gram} is {@code Y^T Y} in floats; the buffers are {@code w}'s float ones.
     */
    static void solveCg(
            float[] gram,
            float w0,
            float reg,
            float c,
            float[] y,
            int f,
            int[] cols,
            int from,
            int to,
            int steps,
            float[] out,
            int outBase,
            Work w) {
        float[] x = w.xf;
        float[] r = w.rf;
        float[] p = w.pf;
        float[] ap = w.apf;
        System.arraycopy(out, outBase, x, 0, f);
        // r = b - A x, b = c sum y_j: A x - b in one pass over the observed columns, then negated
        multiply(gram, w0, reg, c - w0, c, y, f, cols, from, to, x, r);
        for (int i = 0; i < f; i++) {
            r[i] = -r[i];
        }
        System.arraycopy(r, 0, p, 0, f);
        double rsOld = dot(r, r, f);
        for (int step = 0; step < steps && rsOld > 1e-20; step++) {
            multiply(gram, w0, reg, c - w0, 0, y, f, cols, from, to, p, ap);
            double pap = dot(p, ap, f);
            if (!(pap > 0)) {
                break;
            }
            float alpha = (float) (rsOld / pap);
            for (int i = 0; i < f; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double rsNew = dot(r, r, f);
            float beta = (float) (rsNew / rsOld);
            for (int i = 0; i < f; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rsOld = rsNew;
        }
        System.arraycopy(x, 0, out, outBase, f);
    }

    /**
     * {@code out = (w0 YtY + extra sum y_j y_j^T + reg I) v - minus sum y_j}, {@code extra = c - w0}, in floats
     * ({@code minus} folds the right-hand side {@code c sum y_j} into the residual's pass). The Gram product
     * runs as one axpy per row of the symmetric {@code YtY}, which the JIT vectorises. The observed columns go four
     * at a time: four independent dot products in one loop (a floating-point sum is not reordered by the JIT, so a
     * single dot product waits on its own adds: this is what bounds the solver), then one fused axpy; about twice
     * the speed of one column at a time in double (measured on this machine, README "Model families").
     */
    private static void multiply(
            float[] gram,
            float w0,
            float reg,
            float extra,
            float minus,
            float[] y,
            int f,
            int[] cols,
            int from,
            int to,
            float[] v,
            float[] out) {
        for (int i = 0; i < f; i++) {
            out[i] = reg * v[i];
        }
        for (int j = 0; j < f; j++) {
            float vj = w0 * v[j];
            int row = j * f;
            for (int i = 0; i < f; i++) {
                out[i] += gram[row + i] * vj;
            }
        }
        int e = from;
        for (; e + 3 < to; e += 4) {
            int b0 = cols[e] * f;
            int b1 = cols[e + 1] * f;
            int b2 = cols[e + 2] * f;
            int b3 = cols[e + 3] * f;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int i = 0; i < f; i++) {
                float vi = v[i];
                s0 += y[b0 + i] * vi;
                s1 += y[b1 + i] * vi;
                s2 += y[b2 + i] * vi;
                s3 += y[b3 + i] * vi;
            }
            s0 = s0 * extra - minus;
            s1 = s1 * extra - minus;
            s2 = s2 * extra - minus;
            s3 = s3 * extra - minus;
            for (int i = 0; i < f; i++) {
                out[i] += (s0 * y[b0 + i] + s1 * y[b1 + i]) + (s2 * y[b2 + i] + s3 * y[b3 + i]);
            }
        }
        for (; e < to; e++) {
            int base = cols[e] * f;
            float s = 0;
            for (int i = 0; i < f; i++) {
                s += y[base + i] * v[i];
            }
            s = s * extra - minus;
            for (int i = 0; i < f; i++) {
                out[i] += s * y[base + i];
            }
        }
    }

    /** A dot product accumulated in double (the CG's step sizes). */
    private static double dot(float[] a, float[] b, int f) {
        double s = 0;
        for (int i = 0; i < f; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code Y^T Y} in floats, for {@link #solveCg}. */
    static float[] toFloats(double[] gram) {
        float[] out = new float[gram.length];
        for (int k = 0; k < gram.length; k++) {
            out[k] = (float) gram[k];
        }
        return out;
    }
}
