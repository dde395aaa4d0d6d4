package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ItemKnnTrainerTest {

    /** Small data with a heavy tail on both sides: a few movies most users rate, many rated by a handful. */
    static Ratings heavyTailed(long randomSeed, int users, int movies) {
        SplittableRandom rng = new SplittableRandom(randomSeed);
        double[] weight = new double[movies];
        double total = 0;
        for (int m = 0; m < movies; m++) {
            weight[m] = 1.0 / Math.pow(m + 1, 1.1);
            total += weight[m];
        }
        List<int[]> rows = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            // lognormal-ish activity, at least one rating; some users have exactly one
            int n = u % 17 == 0 ? 1 : 1 + (int) Math.min(movies - 1, Math.exp(1.5 + 1.1 * gaussian(rng)));
            boolean[] taken = new boolean[movies];
            int taste = rng.nextInt(4);
            for (int k = 0; k < n; k++) {
                int m;
                do {
                    if (rng.nextDouble() < 0.4) {
                        m = taste + 4 * rng.nextInt(movies / 4); // a taste group: movies congruent to taste mod 4
                    } else {
                        double x = rng.nextDouble() * total;
                        m = 0;
                        while (m < movies - 1 && (x -= weight[m]) > 0) {
                            m++;
                        }
                    }
                } while (taken[m]);
                taken[m] = true;
                rows.add(new int[] {1000 + u * 3, 7 + m * 11}); // sparse ids, unrelated to positions
                values.add((float) ((1 + rng.nextInt(10)) / 2.0));
            }
        }
        // shuffle rows so that nothing relies on input order
        int n = rows.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] userIds = new int[n];
        int[] movieIds = new int[n];
        float[] ratings = new float[n];
        for (int i = 0; i < n; i++) {
            userIds[i] = rows.get(order[i])[0];
            movieIds[i] = rows.get(order[i])[1];
            ratings[i] = values.get(order[i]);
        }
        return new Ratings(userIds, movieIds, ratings);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Dense brute force: plain loops over an item x user matrix, then a full sort per movie. */
    static NeighborLists bruteForce(Ratings ratings, ItemKnnParams p) {
        int[] movieIds = Arrays.stream(ratings.movieIds()).distinct().sorted().toArray();
        int[] userIds = Arrays.stream(ratings.userIds()).distinct().sorted().toArray();
        int[] count = new int[movieIds.length];
        for (int r = 0; r < ratings.size(); r++) {
            count[Arrays.binarySearch(movieIds, ratings.movieIds()[r])]++;
        }
        List<Integer> kept = new ArrayList<>();
        for (int m = 0; m < movieIds.length; m++) {
            if (count[m] >= p.minRatings()) {
                kept.add(m);
            }
        }
        int nk = kept.size();
        double[][] x = new double[nk][userIds.length];
        for (int r = 0; r < ratings.size(); r++) {
            int k = kept.indexOf(Arrays.binarySearch(movieIds, ratings.movieIds()[r]));
            float v = ratings.ratings()[r];
            if (k < 0 || (p.positiveThreshold() > 0 && v < p.positiveThreshold())) {
                continue;
            }
            double value = p.positiveThreshold() > 0 && p.positiveValue() == ItemKnnParams.PositiveValue.ONE ? 1 : v;
            x[k][Arrays.binarySearch(userIds, ratings.userIds()[r])] += value; // duplicates summed, as scipy does
        }
        int[] keptIds = new int[nk];
        int[] offsets = new int[nk + 1];
        List<Integer> neighborIndices = new ArrayList<>();
        List<Float> sims = new ArrayList<>();
        for (int a = 0; a < nk; a++) {
            keptIds[a] = movieIds[kept.get(a)];
            List<float[]> candidates = new ArrayList<>();
            for (int b = 0; b < nk; b++) {
                if (a == b) {
                    continue;
                }
                double dot = 0;
                double na = 0;
                double nb = 0;
                int co = 0;
                for (int u = 0; u < userIds.length; u++) {
                    dot += x[a][u] * x[b][u];
                    na += x[a][u] * x[a][u];
                    nb += x[b][u] * x[b][u];
                    if (x[a][u] != 0 && x[b][u] != 0) {
                        co++;
                    }
                }
                if (co == 0 || co < p.minCoRatings()) {
                    continue;
                }
                double s = dot / (Math.sqrt(na) * Math.sqrt(nb));
                if (p.shrinkage() > 0) {
                    s = s * co / (co + p.shrinkage());
                }
                if ((float) s > 0) {
                    candidates.add(new float[] {(float) s, b});
                }
            }
            candidates.sort((c1, c2) -> c1[0] != c2[0] ? Float.compare(c2[0], c1[0]) : Float.compare(c1[1], c2[1]));
            int take = Math.min(p.kNeighbors(), candidates.size());
            for (int t = 0; t < take; t++) {
                sims.add(candidates.get(t)[0]);
                neighborIndices.add((int) candidates.get(t)[1]);
            }
            offsets[a + 1] = offsets[a] + take;
        }
        float[] simArray = new float[sims.size()];
        for (int i = 0; i < simArray.length; i++) {
            simArray[i] = sims.get(i);
        }
        return new NeighborLists(
                keptIds,
                offsets,
                neighborIndices.stream().mapToInt(Integer::intValue).toArray(),
                simArray);
    }

    static Stream<Arguments> cases() {
        ItemKnnParams base = ItemKnnParams.seed().withParallelism(3);
        List<Arguments> cases = new ArrayList<>();
        for (long randomSeed : new long[] {1, 2, 3}) {
            cases.add(Arguments.of(randomSeed, base.withMinRatings(1).withKNeighbors(5)));
            cases.add(Arguments.of(randomSeed, base.withMinRatings(8).withKNeighbors(20)));
            cases.add(Arguments.of(
                    randomSeed, base.withMinRatings(3).withKNeighbors(1).withParallelism(1)));
            cases.add(Arguments.of(
                    randomSeed, base.withMinRatings(2).withKNeighbors(10).withShrinkage(10)));
            cases.add(Arguments.of(
                    randomSeed, base.withMinRatings(2).withKNeighbors(10).withMinCoRatings(3)));
            cases.add(Arguments.of(
                    randomSeed,
                    base.withMinRatings(2).withKNeighbors(10).withPositiveOnly(4f, ItemKnnParams.PositiveValue.ONE)));
            cases.add(Arguments.of(
                    randomSeed,
                    base.withMinRatings(2)
                            .withKNeighbors(7)
                            .withPositiveOnly(3.5f, ItemKnnParams.PositiveValue.RATING)
                            .withShrinkage(2.5)
                            .withMinCoRatings(2)));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void equalsBruteForceCosine(long randomSeed, ItemKnnParams params) {
        Ratings ratings = heavyTailed(randomSeed, 260, 90);
        NeighborLists expected = bruteForce(ratings, params);
        assertTrue(
                expected.size() >= 20 && expected.totalNeighbors() >= expected.size(),
                "the case must produce real neighbour lists");
        assertSameLists(expected, new ItemKnnTrainer(params).train(ratings));
    }

    @Test
    void blocksSpanManyItemsWithLongRows() {
        // more items than one block, users with long rows crossing several blocks
        Ratings ratings = heavyTailed(11, 120, 400);
        ItemKnnParams params =
                ItemKnnParams.seed().withMinRatings(1).withKNeighbors(12).withParallelism(2);
        assertSameLists(bruteForce(ratings, params), new ItemKnnTrainer(params).train(ratings));
    }

    @Test
    void resultDoesNotDependOnThreads() {
        Ratings ratings = heavyTailed(5, 300, 120);
        ItemKnnParams params = ItemKnnParams.seed().withMinRatings(2).withKNeighbors(15);
        NeighborLists one = new ItemKnnTrainer(params.withParallelism(1)).train(ratings);
        NeighborLists four = new ItemKnnTrainer(params.withParallelism(4)).train(ratings);
        assertArrayEquals(one.neighborMovieIds(), four.neighborMovieIds());
        assertArrayEquals(one.similarities(), four.similarities());
        assertArrayEquals(one.offsets(), four.offsets());
    }

    @Test
    void noMoviePassesTheFilter() {
        Ratings ratings = heavyTailed(1, 30, 20);
        NeighborLists lists = new ItemKnnTrainer(ItemKnnParams.seed().withMinRatings(1_000)).train(ratings);
        assertEquals(0, lists.size());
        assertEquals(0, lists.totalNeighbors());
        assertEquals(-1, lists.indexOf(7));
        assertEquals(0, lists.neighborsOf(7).length);
    }

    @Test
    void emptyInput() {
        Ratings ratings = new Ratings(new int[0], new int[0], new float[0]);
        assertEquals(0, new ItemKnnTrainer(ItemKnnParams.seed()).train(ratings).size());
    }

    @Test
    void kLargerThanCandidatesKeepsOnlyPositiveSimilarities() {
        // movies 10, 20 share user 1; movie 30 shares nobody; movie 40 shares user 2 with 20
        Ratings ratings = new Ratings(
                new int[] {1, 1, 2, 2, 3, 4}, new int[] {10, 20, 20, 40, 30, 30}, new float[] {4, 2, 3, 5, 1, 2});
        NeighborLists lists =
                new ItemKnnTrainer(ItemKnnParams.seed().withMinRatings(1).withKNeighbors(50)).train(ratings);
        assertArrayEquals(new int[] {10, 20, 30, 40}, lists.movieIds());
        assertArrayEquals(new int[] {20}, lists.neighborsOf(10));
        assertEquals(0, lists.neighborsOf(30).length);
        // 20 = (user1: 2, user2: 3); 40 = (user2: 5); 10 = (user1: 4)
        // cos(20,40) = 15 / (sqrt(13) * 5) = 0.83205; cos(20,10) = 8 / (sqrt(13) * 4) = 0.55470
        assertArrayEquals(new int[] {40, 10}, lists.neighborsOf(20));
        assertArrayEquals(new float[] {0.83205f, 0.55470f}, lists.similaritiesOf(20), 1e-5f);
    }

    @Test
    void userWithOneRatingContributesNoPair() {
        Ratings with =
                new Ratings(new int[] {1, 1, 2, 2, 9}, new int[] {10, 20, 10, 20, 30}, new float[] {4, 4, 2, 2, 5});
        NeighborLists lists = new ItemKnnTrainer(ItemKnnParams.seed().withMinRatings(1)).train(with);
        assertArrayEquals(new int[] {20}, lists.neighborsOf(10));
        assertArrayEquals(new float[] {1f}, lists.similaritiesOf(10), 1e-6f);
        assertEquals(0, lists.neighborsOf(30).length);
    }

    @Test
    void tiesBreakByLowerMovieId() {
        // movie 5 is rated like 7, 3 and 9 by the same user: all similarities are 1
        Ratings ratings = new Ratings(new int[] {1, 1, 1, 1}, new int[] {9, 7, 5, 3}, new float[] {2, 2, 2, 2});
        NeighborLists lists =
                new ItemKnnTrainer(ItemKnnParams.seed().withMinRatings(1).withKNeighbors(2)).train(ratings);
        assertArrayEquals(new int[] {3, 7}, lists.neighborsOf(5));
        assertArrayEquals(new int[] {3, 5}, lists.neighborsOf(9));
    }

    @Test
    void duplicateRowsAreSummedLikeScipy() {
        Ratings ratings =
                new Ratings(new int[] {1, 1, 1, 2, 2}, new int[] {10, 10, 20, 10, 20}, new float[] {1, 2, 3, 4, 1});
        ItemKnnParams params = ItemKnnParams.seed().withMinRatings(1).withParallelism(3);
        assertSameLists(bruteForce(ratings, params), new ItemKnnTrainer(params).train(ratings));
        // movie 10 = (3, 4), movie 20 = (3, 1): cos = 13 / (5 * sqrt(10))
        assertEquals(
                13 / (5 * Math.sqrt(10)),
                new ItemKnnTrainer(params).train(ratings).similaritiesOf(10)[0],
                1e-6);
    }

    @Test
    void progressIsReportedPerPhase() {
        Ratings ratings = heavyTailed(3, 100, 50);
        List<TrainingPhase> ended = new ArrayList<>();
        new ItemKnnTrainer(ItemKnnParams.seed().withMinRatings(2)).train(ratings, (phase, done, total) -> {
            assertTrue(done <= total);
            if (done == total && !ended.contains(phase)) {
                ended.add(phase);
            }
        });
        assertEquals(
                List.of(
                        TrainingPhase.INDEXING,
                        TrainingPhase.MATRIX,
                        TrainingPhase.SIMILARITIES,
                        TrainingPhase.NEIGHBORS),
                ended);
    }

    static void assertSameLists(NeighborLists expected, NeighborLists actual) {
        assertArrayEquals(expected.movieIds(), actual.movieIds(), "movies");
        for (int i = 0; i < expected.size(); i++) {
            int movie = expected.movieId(i);
            int[] ids = actual.neighborsOf(movie);
            float[] sims = actual.similaritiesOf(movie);
            int[] expectedIds = expected.neighborsOf(movie);
            float[] expectedSims = expected.similaritiesOf(movie);
            assertEquals(expectedIds.length, ids.length, () -> "neighbour count of movie " + movie);
            for (int k = 0; k < ids.length; k++) {
                int rank = k;
                assertEquals(expectedSims[k], sims[k], 1e-5, () -> "similarity #" + rank + " of movie " + movie);
                if (expectedIds[k] != ids[k]) {
                    // only acceptable as a tie the two computations rounded differently
                    assertEquals(expectedSims[k], sims[k], 1e-6, () -> "neighbour #" + rank + " of movie " + movie);
                }
            }
        }
    }
}
