package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IalsTrainerTest {

    private static final IalsParams SMALL = IalsParams.defaults()
            .withFactors(8)
            .withIterations(12)
            .withRegularization(0.05)
            .withAlpha(5);

    /** {@code clusters} groups of {@code perCluster} movies (ids 100 c + k); each user rates 8 of one group, 1 other. */
    static Ratings clustered(int clusters, int perCluster, int users, long randomSeed) {
        SplittableRandom rng = new SplittableRandom(randomSeed);
        List<int[]> rows = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            int c = u % clusters;
            boolean[] taken = new boolean[clusters * perCluster];
            for (int k = 0; k < 9; k++) {
                int movie;
                do {
                    movie = k < 8 ? c * perCluster + rng.nextInt(perCluster) : rng.nextInt(clusters * perCluster);
                } while (taken[movie]);
                taken[movie] = true;
                rows.add(new int[] {u, 100 * (movie / perCluster) + movie % perCluster});
            }
        }
        int[] userIds = rows.stream().mapToInt(r -> r[0]).toArray();
        int[] movieIds = rows.stream().mapToInt(r -> r[1]).toArray();
        float[] ratings = new float[rows.size()];
        Arrays.fill(ratings, 4f);
        return new Ratings(userIds, movieIds, ratings);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void lossDecreasesOverIterations(int cgSteps) {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(3, 400, 120);
        List<Double> losses = new ArrayList<>();
        new IalsTrainer(SMALL.withCgSteps(cgSteps)).fit(ratings, ProgressListener.NONE, losses::add);
        assertEquals(SMALL.iterations(), losses.size());
        for (int k = 1; k < losses.size(); k++) {
            assertTrue(
                    losses.get(k) <= losses.get(k - 1) * (1 + 1e-6),
                    "iteration " + k + ": " + losses.get(k) + " after " + losses.get(k - 1));
        }
        assertTrue(losses.get(losses.size() - 1) < 0.9 * losses.get(0), losses.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void foldInOfATrainingUsersRowIsItsTrainedVector(int cgSteps) {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(8, 300, 100);
        IalsTrainer.Fitted fitted = new IalsTrainer(SMALL.withCgSteps(cgSteps).withIterations(25))
                .fit(ratings, ProgressListener.NONE, null);
        int f = SMALL.factors();
        double tolerance = cgSteps == 0 ? 1e-4 : 0.05;
        int checked = 0;
        for (int u = 0; u < fitted.userIds().length; u += 7) {
            int userId = fitted.userIds()[u];
            List<Integer> movies = new ArrayList<>();
            for (int r = 0; r < ratings.size(); r++) {
                if (ratings.userIds()[r] == userId) {
                    movies.add(ratings.movieIds()[r]);
                }
            }
            float[] values = new float[movies.size()];
            Arrays.fill(values, 3f);
            float[] folded = fitted.model()
                    .foldIn(movies.stream().mapToInt(Integer::intValue).toArray(), values);
            float[] trained = Arrays.copyOfRange(fitted.userFactors(), u * f, (u + 1) * f);
            double diff = 0;
            double norm = 0;
            for (int k = 0; k < f; k++) {
                diff += (folded[k] - trained[k]) * (double) (folded[k] - trained[k]);
                norm += (double) trained[k] * trained[k];
            }
            assertTrue(norm > 0);
            assertTrue(
                    Math.sqrt(diff / norm) < tolerance,
                    "user " + userId + ": relative error " + Math.sqrt(diff / norm));
            checked++;
        }
        assertTrue(checked > 10);
    }

    @Test
    void recommendationsForAClusteredUserComeFromTheCluster() {
        Ratings ratings = clustered(4, 15, 400, 1);
        FactorModel model = new IalsTrainer(SMALL).train(ratings);
        assertEquals(60, model.size());
        for (int c = 0; c < 4; c++) {
            int[] rated = {100 * c, 100 * c + 3, 100 * c + 7};
            int[] top = model.recommend(rated, new float[] {5, 4, 4.5f}, 5);
            assertEquals(5, top.length);
            for (int movie : top) {
                assertEquals(c, movie / 100, "cluster " + c + " got " + Arrays.toString(top));
                assertTrue(Arrays.stream(rated).noneMatch(m -> m == movie), "a rated movie was recommended");
            }
        }
        // Every rating counts when the threshold is 0; with a threshold, ratings below it do not.
        int[] rated = {100, 103, 107};
        assertArrayEquals(model.foldInInteractions(rated), model.foldIn(rated, new float[] {1, 2, 5}));
        FactorModel thresholded = new IalsTrainer(SMALL.withPositiveThreshold(3.5f)).train(ratings);
        assertArrayEquals(
                thresholded.foldInInteractions(new int[] {107}), thresholded.foldIn(rated, new float[] {1, 2, 5}));
        // A user with nothing in the model gets the zero vector.
        assertArrayEquals(new float[SMALL.factors()], model.foldIn(new int[] {999}, new float[] {5}));
    }

    @Test
    void resultDoesNotDependOnThreadsAndReportsProgress() {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(4, 200, 80);
        List<Long> halves = new ArrayList<>();
        FactorModel one = new IalsTrainer(SMALL.withParallelism(1)).train(ratings, (phase, done, total) -> {
            if (phase == TrainingPhase.FACTORS) {
                halves.add(done);
            }
        });
        FactorModel three = new IalsTrainer(SMALL.withParallelism(3)).train(ratings);
        assertArrayEquals(one.itemFactors(), three.itemFactors());
        assertEquals(0L, halves.get(0));
        assertEquals(2L * SMALL.iterations(), halves.get(halves.size() - 1));
    }

    @Test
    void theBlockedNormalEquationsAndCholeskyHoldTheDoublesOfTheOneRowLoops() {
        SplittableRandom random = new SplittableRandom(11);
        for (int f : new int[] {1, 3, 4, 7, 8, 64}) {
            int items = 900;
            float[] y = new float[items * f];
            for (int k = 0; k < y.length; k++) {
                y[k] = (float) (0.3 * random.nextGaussian());
            }
            double[] gram = new double[f * f];
            for (int k = 0; k < gram.length; k++) {
                gram[k] = random.nextGaussian();
            }
            AlsRows.Work work = new AlsRows.Work(f);
            for (int n : new int[] {0, 1, 5, AlsRows.CHUNK - 1, AlsRows.CHUNK, AlsRows.CHUNK + 1, 700}) {
                int[] cols = random.ints(n + 3, 0, items).toArray();
                double w0 = 0.5 + random.nextDouble();
                double c = 1 + 10 * random.nextDouble();
                AlsRows.normalEquations(gram, w0, c, y, f, cols, 3, n + 3, work);
                // the reference: a[i][j] += ((c - w0) * y_j[i]) * y_j[j], column by column
                double[] a = new double[f * f];
                double[] b = new double[f];
                for (int k = 0; k < f * f; k++) {
                    a[k] = w0 * gram[k];
                }
                for (int e = 3; e < n + 3; e++) {
                    int base = cols[e] * f;
                    for (int i = 0; i < f; i++) {
                        double yi = y[base + i];
                        b[i] += c * yi;
                        double s = (c - w0) * yi;
                        for (int j = 0; j <= i; j++) {
                            a[i * f + j] += s * y[base + j];
                        }
                    }
                }
                for (int i = 0; i < f; i++) {
                    for (int j = 0; j <= i; j++) {
                        assertEquals(
                                a[i * f + j],
                                work.a[i * f + j],
                                0.0,
                                f + " factors, " + n + " columns: " + i + "," + j);
                    }
                }
                assertArrayEquals(b, work.b, 0.0);
                // and the Cholesky factor of it, row by row in the one-row loop's order
                for (int i = 0; i < f; i++) {
                    a[i * f + i] += 0.1;
                    work.a[i * f + i] += 0.1;
                }
                for (int i = 0; i < f; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = a[i * f + j];
                        for (int k = 0; k < j; k++) {
                            s -= a[i * f + k] * a[j * f + k];
                        }
                        a[i * f + j] = i == j ? Math.sqrt(Math.max(s, 1e-300)) : s / a[j * f + j];
                    }
                }
                AlsRows.cholesky(work.a, f);
                for (int i = 0; i < f; i++) {
                    for (int j = 0; j <= i; j++) {
                        assertEquals(
                                a[i * f + j], work.a[i * f + j], 0.0, "Cholesky, " + f + " factors: " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void theNormBoundedSearchFindsTheFullScansTopNWithItsDoubles() {
        SplittableRandom random = new SplittableRandom(7);
        for (int[] shape : new int[][] {{1, 1}, {3, 5}, {700, 8}, {3000, 64}}) {
            int movies = shape[0];
            int factors = shape[1];
            int[] ids = new int[movies];
            float[] y = new float[movies * factors];
            for (int i = 0; i < movies; i++) {
                ids[i] = 3 * i + 1;
                // a third of the movies repeat an earlier vector: exact ties, decided by movie id
                int copyOf = i > 0 && random.nextInt(3) == 0 ? random.nextInt(i) : -1;
                double scale = Math.exp(random.nextGaussian());
                for (int k = 0; k < factors; k++) {
                    y[i * factors + k] =
                            copyOf >= 0 ? y[copyOf * factors + k] : (float) (scale * random.nextGaussian());
                }
            }
            FactorModel model = new FactorModel(ids, factors, y, new double[factors * factors], 0.1, 1, 10, 0);
            for (int trial = 0; trial < 20; trial++) {
                float[] user = new float[factors];
                for (int k = 0; k < factors; k++) {
                    user[k] = (float) random.nextGaussian();
                }
                boolean[] seen = new boolean[movies];
                for (int i = 0; i < movies; i++) {
                    seen[i] = random.nextInt(10) == 0;
                }
                int n = 1 + random.nextInt(Math.min(movies, 120));
                double[] score = new double[movies];
                int[] got = model.best(user, seen, n, score);

                List<Integer> all = new ArrayList<>();
                for (int i = 0; i < movies; i++) {
                    if (!seen[i]) {
                        all.add(i);
                    }
                }
                all.sort((a, b) -> {
                    int c = Double.compare(model.score(user, b), model.score(user, a));
                    return c != 0 ? c : Integer.compare(a, b);
                });
                int[] expected = all.subList(0, Math.min(n, all.size())).stream()
                        .mapToInt(Integer::intValue)
                        .toArray();
                assertArrayEquals(expected, got, movies + " movies, top " + n);
                for (int i : got) {
                    assertEquals(model.score(user, i), score[i], 0.0, "the same double for position " + i);
                }
            }
        }
    }
}
