package org.recofilms.training;

import dev.ludovic.netlib.lapack.LAPACK;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.netlib.util.intW;

/**
 * Inverts a dense symmetric positive definite matrix, EASE's regularised Gram matrix. The implementations were
 * compared by {@code scripts/bench-linalg.sh} (README, "Model families"); {@link #best()} picks LAPACK when
 * dev.ludovic.netlib found a native library (the system OpenBLAS), EJML's multi-threaded Cholesky otherwise, so the
 * build and the tests need no native code.
 */
public interface GramInverter {

    /** Short name for logs and the benchmark, with the backend where there is one. */
    String name();

    /**
     * Replaces the row-major {@code n x n} SPD matrix {@code a} by its inverse (both triangles).
     *
     * @throws IllegalArgumentException when the matrix is not positive definite
     */
    void invertInPlace(double[] a, int n);

    /** LAPACK through dev.ludovic.netlib when it loaded a native library, else EJML. */
    static GramInverter best() {
        Lapack lapack = new Lapack();
        return lapack.isNative() ? lapack : new Ejml();
    }

    /** Copies the lower triangle of a row-major matrix onto its upper triangle. */
    static void mirrorLowerToUpper(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[j * n + i] = a[i * n + j];
            }
        }
    }

    /**
     * {@code dpotrf} + {@code dpotri} in place through {@link LAPACK#getInstance()}: native (JNI to the system's
     * BLAS/LAPACK, OpenBLAS on Debian) when available, its Java port otherwise.
     */
    final class Lapack implements GramInverter {

        private final LAPACK lapack = LAPACK.getInstance();

        /** True when netlib found a native library. */
        public boolean isNative() {
            return lapack.getClass().getSimpleName().startsWith("JNI");
        }

        @Override
        public String name() {
            return "netlib-lapack (" + lapack.getClass().getSimpleName() + ")";
        }

        @Override
        public void invertInPlace(double[] a, int n) {
            if (n == 0) {
                return;
            }
            // Row-major "lower" is column-major "upper": LAPACK works on the same triangle either way.
            intW info = new intW(0);
            lapack.dpotrf("U", n, a, n, info);
            if (info.val != 0) {
                throw new IllegalArgumentException("matrix is not positive definite (dpotrf info " + info.val + ")");
            }
            lapack.dpotri("U", n, a, n, info);
            if (info.val != 0) {
                throw new IllegalArgumentException("matrix is singular (dpotri info " + info.val + ")");
            }
            mirrorLowerToUpper(a, n);
        }
    }

    /**
     * EJML's multi-threaded block Cholesky solver ({@code LinearSolverFactory_MT_DDRM.symmPosDef}), which works on
     * block-format copies: two more {@code n x n} arrays while it runs.
     */
    final class Ejml implements GramInverter {

        @Override
        public String name() {
            return "ejml (block Cholesky, multi-threaded)";
        }

        @Override
        public void invertInPlace(double[] a, int n) {
            if (n == 0) {
                return;
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_MT_DDRM.symmPosDef(n);
            DMatrixRMaj matrix = DMatrixRMaj.wrap(n, n, a);
            // The solver factors a block-format copy and inverts into another, converted back into a: three
            // n x n arrays at the peak, a included.
            if (!solver.setA(matrix)) {
                throw new IllegalArgumentException("matrix is not positive definite (EJML Cholesky failed)");
            }
            solver.invert(matrix);
        }
    }

    /**
     * Plain Java, the baseline: row-oriented Cholesky {@code A = L L^T}, {@code M = L^-1} by rows, then
     * {@code A^-1 = M^T M} as a sum of row outer products; every inner loop runs over contiguous memory. One
     * thread; a second {@code n x n} array for the result.
     */
    final class JavaCholesky implements GramInverter {

        @Override
        public String name() {
            return "plain-java Cholesky (1 thread)";
        }

        @Override
        public void invertInPlace(double[] a, int n) {
            // 1. L in the lower triangle of a.
            for (int i = 0; i < n; i++) {
                int ri = i * n;
                for (int j = 0; j <= i; j++) {
                    int rj = j * n;
                    double s = a[ri + j];
                    for (int k = 0; k < j; k++) {
                        s -= a[ri + k] * a[rj + k];
                    }
                    if (i == j) {
                        if (!(s > 0)) {
                            throw new IllegalArgumentException("matrix is not positive definite at row " + i);
                        }
                        a[ri + i] = Math.sqrt(s);
                    } else {
                        a[ri + j] = s / a[rj + j];
                    }
                }
            }
            // 2. M = L^-1, row by row, in place: row i of M = (e_i - sum_k L_ik M_k) / L_ii.
            double[] row = new double[n];
            for (int i = 0; i < n; i++) {
                int ri = i * n;
                java.util.Arrays.fill(row, 0, i + 1, 0);
                for (int k = 0; k < i; k++) {
                    double l = a[ri + k];
                    int rk = k * n;
                    for (int c = 0; c <= k; c++) {
                        row[c] -= l * a[rk + c];
                    }
                }
                double d = 1 / a[ri + i];
                row[i] = 1;
                for (int c = 0; c <= i; c++) {
                    a[ri + c] = row[c] * d;
                }
            }
            // 3. A^-1 = M^T M = sum over rows k of M of outer(M_k, M_k), lower triangle.
            double[] out = new double[n * n];
            for (int k = 0; k < n; k++) {
                int rk = k * n;
                for (int i = 0; i <= k; i++) {
                    double m = a[rk + i];
                    if (m == 0) {
                        continue;
                    }
                    int ri = i * n;
                    for (int c = 0; c <= i; c++) {
                        out[ri + c] += m * a[rk + c];
                    }
                }
            }
            mirrorLowerToUpper(out, n);
            System.arraycopy(out, 0, a, 0, n * n);
        }
    }
}
