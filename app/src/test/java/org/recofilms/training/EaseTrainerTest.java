package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EaseTrainerTest {

    static Stream<GramInverter> inverters() {
        return Stream.concat(
                GramInverter.openBlas().stream(),
                Stream.of(new GramInverter.Lapack(), new GramInverter.Ejml(), new GramInverter.JavaCholesky()));
    }

    /** JavaCPP's OpenBLAS natives are bundled for x86-64 Linux only (app/pom.xml). */
    static boolean bundledNativesPlatform() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && Set.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    static double[][] randomSpd(int n, long randomSeed) {
        SplittableRandom rng = new SplittableRandom(randomSeed);
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int k = 0; k < n; k++) {
                row[k] = rng.nextDouble() - 0.5;
            }
        }
        double[][] dense = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < n; k++) {
                    s += m[i][k] * m[j][k];
                }
                dense[i][j] = s;
            }
        }
        return dense;
    }

    /** Gauss-Jordan with partial pivoting, the naive reference inverse. */
    static double[][] naiveInverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** EASE's B computed naively from the dense binarised matrix. */
    static double[][] naiveEase(DenseReference.Dense d, double l2) {
        int items = d.movieIds().length;
        double[][] g = new double[items][items];
        for (double[] row : d.x()) {
            for (int i = 0; i < items; i++) {
                for (int j = 0; j < items; j++) {
                    g[i][j] += row[i] * row[j];
                }
            }
        }
        for (int i = 0; i < items; i++) {
            g[i][i] += l2;
        }
        double[][] p = naiveInverse(g);
        double[][] b = new double[items][items];
        for (int i = 0; i < items; i++) {
            for (int j = 0; j < items; j++) {
                b[i][j] = i == j ? 0 : -p[i][j] / p[j][j];
            }
        }
        return b;
    }

    @ParameterizedTest
    @MethodSource("inverters")
    void invertersInvertARandomSpdMatrix(GramInverter inverter) {
        int n = 70;
        double[][] dense = randomSpd(n, 3);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(dense[i], 0, a, i * n, n);
        }
        inverter.invertInPlace(a, n);
        double[][] expected = naiveInverse(dense);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], a[i * n + j], 1e-9 * (1 + Math.abs(expected[i][j])), inverter.name());
            }
        }
    }

    /** Through {@link GramInverter#allocate}: both triangles, across several 64 x 64 mirror tiles. */
    @ParameterizedTest
    @MethodSource("inverters")
    void allocatedMatricesInvertInPlace(GramInverter inverter) {
        int n = 150;
        double[][] dense = randomSpd(n, 5);
        double[][] expected = naiveInverse(dense);
        try (GramInverter.Matrix m = inverter.allocate(n)) {
            assertEquals(n, m.size());
            double[] row = new double[n];
            assertEquals(0.0, m.get(n - 1, n - 1), "allocated zeroed");
            for (int i = 0; i < n; i++) {
                m.setRow(i, dense[i]);
            }
            m.invert();
            for (int i = 0; i < n; i++) {
                m.getRow(i, row);
                for (int j = 0; j < n; j++) {
                    double tolerance = 1e-9 * (1 + Math.abs(expected[i][j]));
                    assertEquals(expected[i][j], row[j], tolerance, inverter.name() + " row " + i + " col " + j);
                    assertEquals(expected[i][j], m.get(i, j), tolerance);
                }
            }
        }
    }

    @Test
    void openBlasLoadsWhereItsNativesAreBundled() {
        assertEquals(bundledNativesPlatform(), GramInverter.openBlas().isPresent());
    }

    @Test
    void openBlasMatricesFreeTheirNativeMemory() {
        GramInverter openBlas = GramInverter.openBlas().orElseThrow();
        long before = Pointer.totalBytes();
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(5, 300, 120);
        NeighborLists lists = new EaseTrainer(new EaseParams(10.0, 20, 1, 0f, 2), openBlas).train(ratings);
        assertTrue(lists.totalNeighbors() > 0);
        assertEquals(before, Pointer.totalBytes(), "native bytes after training");
        GramInverter.Matrix m = openBlas.allocate(500);
        assertEquals(before + 8L * 500 * 500, Pointer.totalBytes());
        m.close();
        assertEquals(before, Pointer.totalBytes());
    }

    @ParameterizedTest
    @MethodSource("inverters")
    void invertersRejectAMatrixThatIsNotPositiveDefinite(GramInverter inverter) {
        double[] a = {1, 2, 2, 1};
        assertThrows(IllegalArgumentException.class, () -> inverter.invertInPlace(a, 2));
    }

    @ParameterizedTest
    @MethodSource("inverters")
    void denseWeightsEqualTheNaiveComputation(GramInverter inverter) {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(11, 150, 50);
        EaseParams params = new EaseParams(3.0, 10, 2, 3.5f, 2);
        EaseTrainer.Dense b = new EaseTrainer(params, inverter).weights(ratings, ProgressListener.NONE);
        DenseReference.Dense dense = DenseReference.binarise(ratings, 2, 3.5f);
        double[][] expected = naiveEase(dense, 3.0);
        int n = expected.length;
        assertArrayEquals(dense.movieIds(), b.movieIds());
        assertTrue(n > 20, "enough movies for a meaningful check: " + n);
        double scale = 0;
        for (double[] row : expected) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(0.0, b.weights()[i * n + i], "diagonal is zero");
            for (int j = 0; j < n; j++) {
                double want = expected[i][j];
                assertEquals(want, b.weights()[i * n + j], 1e-9 * Math.max(Math.abs(want), 1e-3 * scale));
            }
        }
    }

    @Test
    void prunedListsAreTheTopPositiveWeights() {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(5, 200, 80);
        for (int k : new int[] {1, 7, 500}) {
            EaseParams params = new EaseParams(10.0, k, 1, 0f, 2);
            NeighborLists lists = new EaseTrainer(params).train(ratings);
            DenseReference.Dense dense = DenseReference.binarise(ratings, 1, 0f);
            DenseReference.assertPrunedRows(lists, dense.movieIds(), naiveEase(dense, 10.0), k, false);
            DenseReference.assertWellFormed(lists, k);
            assertTrue(lists.totalNeighbors() > 0);
        }
    }

    @Test
    void handComputedTwoMovieCase() {
        // Two movies, users: {A, B}, {A}, {B}, {A, B}: G = [[3, 2], [2, 3]] + l2 I. With l2 = 1:
        // G = [[4, 2], [2, 4]], P = [[4, -2], [-2, 4]] / 12, B_AB = -P_AB / P_BB = 2 / 4 = 0.5.
        // User 1 rates A twice: a repeated (user, movie) row counts once.
        Ratings ratings = new Ratings(
                new int[] {1, 1, 2, 3, 4, 4, 1}, new int[] {7, 9, 7, 9, 7, 9, 7}, new float[] {5, 4, 3, 4, 5, 5, 2});
        NeighborLists lists = new EaseTrainer(new EaseParams(1.0, 10, 1, 0f, 1)).train(ratings);
        assertArrayEquals(new int[] {9}, lists.neighborsOf(7));
        assertArrayEquals(new float[] {0.5f}, lists.similaritiesOf(7), 1e-7f);
        assertArrayEquals(new int[] {7}, lists.neighborsOf(9));
    }

    @Test
    void bestInverterIsOpenBlasWhereItLoadsAndJavaElsewhere() {
        GramInverter best = GramInverter.best();
        Optional<GramInverter> openBlas = GramInverter.openBlas();
        if (openBlas.isPresent()) {
            assertSame(openBlas.get(), best, best.name());
        } else {
            boolean nativeLapack = new GramInverter.Lapack().isNative();
            assertEquals(nativeLapack, best instanceof GramInverter.Lapack, best.name());
            assertEquals(!nativeLapack, best instanceof GramInverter.Ejml, best.name());
        }
        assertEquals(
                0,
                new EaseTrainer(EaseParams.defaults())
                        .train(new Ratings(new int[0], new int[0], new float[0]))
                        .size());
    }

    /** The pure-Java route (what a machine without the natives runs) trains the same lists as OpenBLAS. */
    @Test
    void javaAndOpenBlasTrainTheSameLists() {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(9, 400, 150);
        EaseParams params = new EaseParams(20.0, 15, 2, 0f, 2);
        NeighborLists java = new EaseTrainer(params, new GramInverter.Ejml()).train(ratings);
        NeighborLists openBlas = new EaseTrainer(params, GramInverter.openBlas().orElseThrow()).train(ratings);
        assertArrayEquals(java.movieIds(), openBlas.movieIds());
        for (int movie : java.movieIds()) {
            assertArrayEquals(java.similaritiesOf(movie), openBlas.similaritiesOf(movie), 1e-6f);
        }
    }
}
