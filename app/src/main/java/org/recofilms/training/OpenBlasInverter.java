package org.recofilms.training;

import java.nio.DoubleBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.jboss.logging.Logger;

/**
 * {@code LAPACKE_dpotrf} + {@code LAPACKE_dpotri} in place, row-major lower triangle, in native memory: OpenBLAS
 * 0.3.31 as JavaCPP bundles it ({@code org.bytedeco:openblas}, its {@code linux-x86_64} natives: DYNAMIC_ARCH, so
 * the kernels match the CPU, AVX-512 included). Reached only through {@link GramInverter#openBlas()}, which turns
 * every failure to link into "not available".
 *
 * <p>Memory: {@link #allocate} gives a {@link GramInverter.Matrix} in native memory ({@code 8 n^2} bytes, 1.5 GB at
 * 13.8k items), so the Java heap never holds the matrix; JavaCPP counts it against its {@code maxBytes} (by default
 * the heap's maximum, {@code -Xmx}). {@link #invertInPlace(double[], int)} copies the array there and back (twice
 * the memory; for the benchmark and the tests).
 *
 * <p>Threads: OpenBLAS's own pool, sized to {@code OPENBLAS_NUM_THREADS} when set, else to the JVM's
 * {@code availableProcessors()} (which follows the container's CPU limit; OpenBLAS alone would count the host's
 * cores).
 */
final class OpenBlasInverter implements GramInverter {

    private static final Logger LOG = Logger.getLogger(OpenBlasInverter.class);
    private static final int TILE = 64;
    private static Optional<GramInverter> loaded;

    private final int threads;

    private OpenBlasInverter(int threads) {
        this.threads = threads;
    }

    /** Loads the natives once; empty (and a debug log line saying why) when they cannot load. */
    static synchronized Optional<GramInverter> load() {
        if (loaded == null) {
            try {
                Loader.load(openblas.class);
                String env = System.getenv("OPENBLAS_NUM_THREADS");
                int threads = env != null && env.matches("[1-9][0-9]{0,3}")
                        ? Integer.parseInt(env)
                        : Runtime.getRuntime().availableProcessors();
                openblas_nolapack.blas_set_num_threads(threads);
                loaded = Optional.of(new OpenBlasInverter(threads));
            } catch (LinkageError | RuntimeException e) {
                LOG.debugf("OpenBLAS (JavaCPP) not available here, EASE uses a Java inverse: %s", e.toString());
                loaded = Optional.empty();
            }
        }
        return loaded;
    }

    @Override
    public String name() {
        return "openblas-javacpp (LAPACKE dpotrf+dpotri, " + threads + " threads)";
    }

    @Override
    public GramInverter.Matrix allocate(int n) {
        return new NativeMatrix(n, threads);
    }

    @Override
    public void invertInPlace(double[] a, int n) {
        try (NativeMatrix m = new NativeMatrix(n, threads)) {
            double[] row = new double[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(a, i * n, row, 0, n);
                m.setRow(i, row);
            }
            m.invert();
            for (int i = 0; i < n; i++) {
                m.getRow(i, row);
                System.arraycopy(row, 0, a, i * n, n);
            }
        }
    }

    /** {@code n x n} doubles in one native block, seen by rows as direct {@link DoubleBuffer}s (no copy, no JNI). */
    static final class NativeMatrix implements GramInverter.Matrix {

        private final int n;
        private final int threads;
        private final DoublePointer data;
        private DoubleBuffer[] rows;

        NativeMatrix(int n, int threads) {
            this.n = n;
            this.threads = threads;
            this.data = new DoublePointer(Math.max(1L, (long) n * n));
            data.zero();
            // One view per row from the block's own pointer (a pointer copy would keep the block alive until it is
            // collected); the buffers hold no reference, so they must not outlive close().
            this.rows = new DoubleBuffer[n];
            for (int i = 0; i < n; i++) {
                long from = (long) i * n;
                rows[i] = data.position(from).limit(from + n).asBuffer();
            }
            data.position(0).limit(data.capacity());
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public void setRow(int i, double[] row) {
            rows[i].put(0, row, 0, n);
        }

        @Override
        public void getRow(int i, double[] row) {
            rows[i].get(0, row, 0, n);
        }

        @Override
        public double get(int i, int j) {
            return rows[i].get(j);
        }

        @Override
        public void invert() {
            if (n == 0) {
                return;
            }
            int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_ROW_MAJOR, (byte) 'L', n, data, n);
            if (info != 0) {
                throw new IllegalArgumentException("matrix is not positive definite (dpotrf info " + info + ")");
            }
            info = openblas.LAPACKE_dpotri(openblas.LAPACK_ROW_MAJOR, (byte) 'L', n, data, n);
            if (info != 0) {
                throw new IllegalArgumentException("matrix is singular (dpotri info " + info + ")");
            }
            mirrorLowerToUpper();
        }

        /**
         * Copies the lower triangle onto the upper one by {@code 64 x 64} tiles (a column walk would miss the cache
         * on every write); workers take whole tile rows, whose writes land in distinct columns.
         */
        private void mirrorLowerToUpper() {
            int tiles = (n + TILE - 1) / TILE;
            AtomicInteger next = new AtomicInteger();
            Parallel.run(
                    Math.max(1, Math.min(threads, tiles)),
                    "gram-mirror",
                    w -> {
                        double[] tile = new double[TILE * TILE];
                        double[] column = new double[TILE];
                        int bi;
                        while ((bi = next.getAndIncrement()) < tiles) {
                            int i0 = bi * TILE;
                            int i1 = Math.min(n, i0 + TILE);
                            for (int j0 = 0; j0 <= i0; j0 += TILE) {
                                int width = Math.min(TILE, n - j0);
                                for (int i = i0; i < i1; i++) {
                                    rows[i].get(j0, tile, (i - i0) * TILE, width);
                                }
                                for (int j = j0; j < j0 + width; j++) {
                                    // row j, columns i0..i1 of the upper triangle = column j of the lower tile
                                    int first = Math.max(i0, j + 1);
                                    if (first >= i1) {
                                        continue;
                                    }
                                    for (int i = first; i < i1; i++) {
                                        column[i - first] = tile[(i - i0) * TILE + (j - j0)];
                                    }
                                    rows[j].put(first, column, 0, i1 - first);
                                }
                            }
                        }
                    },
                    2_000,
                    () -> {});
        }

        @Override
        public void close() {
            rows = null;
            data.close();
        }
    }
}
