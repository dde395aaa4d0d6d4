package org.recofilms.training;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.netlib.util.intW;

/**
 * Inverts a dense symmetric positive definite matrix, EASE's regularised Gram matrix. The implementations were
 * compared by {@code scripts/bench-linalg.sh} (README, "Model families"); {@link #best()} picks OpenBLAS (bundled
 * through JavaCPP, x86-64 Linux) when its native library loads, else LAPACK through dev.ludovic.netlib when that found
 * a system OpenBLAS, else EJML's multi-threaded Cholesky, so the build and the tests work without native code.
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

    /**
     * A zeroed {@code n x n} matrix for {@link Matrix#invert()}: a heap array by default, native memory for OpenBLAS
     * (so the inverse needs no second copy of the matrix on either side). Close it when done.
     */
    default Matrix allocate(int n) {
        return new HeapMatrix(n, this);
    }

    /**
     * A dense {@code n x n} matrix filled and read by rows; distinct rows may be set or read by different threads at
     * once, but not while {@link #invert()} runs.
     */
    interface Matrix extends AutoCloseable {

        int size();

        /** Sets row {@code i} from {@code row[0..n)}. */
        void setRow(int i, double[] row);

        /** Copies row {@code i} into {@code row[0..n)}. */
        void getRow(int i, double[] row);

        double get(int i, int j);

        /**
         * Replaces the matrix by its inverse (both triangles); only its lower triangle is read.
         *
         * @throws IllegalArgumentException when the matrix is not positive definite
         */
        void invert();

        /** Frees the matrix (native memory at once, for OpenBLAS). */
        @Override
        void close();
    }

    /** {@link #allocate} on the heap: one {@code double[n * n]}, inverted by {@link #invertInPlace}. */
    final class HeapMatrix implements Matrix {

        private final int n;
        private final GramInverter inverter;
        private double[] a;

        HeapMatrix(int n, GramInverter inverter) {
            this.n = n;
            this.inverter = inverter;
            this.a = new double[Math.multiplyExact(n, n)];
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public void setRow(int i, double[] row) {
            System.arraycopy(row, 0, a, i * n, n);
        }

        @Override
        public void getRow(int i, double[] row) {
            System.arraycopy(a, i * n, row, 0, n);
        }

        @Override
        public double get(int i, int j) {
            return a[i * n + j];
        }

        @Override
        public void invert() {
            inverter.invertInPlace(a, n);
        }

        @Override
        public void close() {
            a = null;
        }
    }

    /**
     * OpenBLAS, LAPACKE and cblas through JavaCPP ({@code org.bytedeco:openblas}), when its native library loads here,
     * else empty (another platform, a read-only JavaCPP cache, a native image: JavaCPP and its natives are never
     * touched until this is called, and any linkage failure only means "not available").
     */
    static Optional<GramInverter> openBlas() {
        try {
            return OpenBlasInverter.load();
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    /** OpenBLAS when it loads, else LAPACK through dev.ludovic.netlib when it loaded a native library, else EJML. */
    static GramInverter best() {
        Optional<GramInverter> openBlas = openBlas();
        if (openBlas.isPresent()) {
            return openBlas.get();
        }
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
