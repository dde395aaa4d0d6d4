package org.recofilms.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.SyntheticRatings;

class FullRankingProtocolTest {

    @Test
    void handComputedMetrics() {
        // 30 catalogue items; the scorer ranks them in catalogue order (score 30 - position)
        int[] catalogue = new int[30];
        double[] fixed = new double[30];
        for (int c = 0; c < 30; c++) {
            catalogue[c] = 100 + c;
            fixed[c] = 30 - c;
        }
        // user A: fold-in {0, 1}, test {2, 25}; user B: fold-in {5}, test {6..29} (24 items); user C: no test item
        int[] testB = new int[24];
        for (int i = 0; i < 24; i++) {
            testB[i] = 6 + i;
        }
        int[] test = new int[26];
        test[0] = 2;
        test[1] = 25;
        System.arraycopy(testB, 0, test, 2, 24);
        Ratings none = new Ratings(new int[0], new int[0], new float[0]);
        FullRankingProtocol.Split split = new FullRankingProtocol.Split(
                catalogue,
                none,
                none,
                FullRankingProtocol.HeldOut.of(
                        catalogue,
                        new int[] {1, 2, 3},
                        new FullRankingProtocol.PerUser(new int[] {0, 2, 3, 5}, new int[] {0, 1, 5, 7, 8}),
                        new FullRankingProtocol.PerUser(new int[] {0, 2, 26, 26}, test)),
                FullRankingProtocol.HeldOut.empty(),
                0);
        FullRankingMetrics m = FullRankingProtocol.evaluate(split, Scorers.fixed(fixed), 2, ProgressListener.NONE);
        // A: ranking 2, 3, ..., 29. Top 20 holds 2 (rank 1), not 25 (rank 24).
        //   recall@20 = 1/2, truncated = 1/min(20, 2) = 1/2, recall@50 truncated = 2/2 = 1
        //   NDCG@100 = (1 + 1/log2 25) / (1 + 1/log2 3) = 1.21534 / 1.63093 = 0.74518
        // B: ranking 0..4, 6, 7, ..., 29. Top 20 = 0..4 and 6..20: 15 hits.
        //   recall@20 = 15/24 = 0.625, truncated = 15/20 = 0.75, recall@50 truncated = 24/24 = 1
        //   NDCG@100 = sum_{p=5..28} 1/log2(p+2) / sum_{p=0..23} 1/log2(p+2) = 0.75909
        // C is not evaluated. Coverage@20: A's top 20 = 2..21, B's = 0..4 and 6..20: items 0..21, 22 of 30.
        assertEquals(2, m.users());
        assertEquals(30, m.catalogueSize());
        assertEquals((0.5 + 0.625) / 2, m.recall20(), 1e-12);
        assertEquals((0.5 + 0.75) / 2, m.truncatedRecall20(), 1e-12);
        assertEquals(1.0, m.truncatedRecall50(), 1e-12);
        assertEquals((0.74518 + 0.75909) / 2, m.ndcg100(), 1e-5);
        assertEquals(22 / 30.0, m.coverage20(), 1e-12);
        // per user, and standard errors: with two users, sd = |a - b| / sqrt(2), so se = sd / sqrt(2) = |a - b| / 2
        assertArrayEquals(new int[] {1, 2}, m.userIds());
        assertArrayEquals(new double[] {0.5, 0.625}, m.perUser(FullRankingMetrics.Metric.RECALL_20), 1e-12);
        assertEquals(0.0625, m.estimate(FullRankingMetrics.Metric.RECALL_20).standardError(), 1e-12);
        assertEquals(0.125, m.asMap().get("recall_20_truncated_se"), 1e-12);
        assertEquals(0.0, m.asMap().get("recall_50_truncated_se"), 1e-12);
        assertEquals((0.75909 - 0.74518) / 2, m.asMap().get("ndcg_100_se"), 1e-5);
        assertEquals(2.0, m.asMap().get("users"));
    }

    @Test
    void standardErrorIsTheSampleDeviationOverTheRootOfN() {
        // 1, 2, 3, 4, 10: mean 4, squared deviations 9 + 4 + 1 + 0 + 36 = 50, sample variance 50 / 4 = 12.5,
        // sd 3.5355, se = 3.5355 / sqrt(5) = 1.5811
        Estimate e = Estimate.of(new double[] {1, 2, 3, 4, 10});
        assertEquals(4.0, e.mean(), 1e-12);
        assertEquals(Math.sqrt(12.5 / 5), e.standardError(), 1e-12);
        assertEquals(1.5811388, e.standardError(), 1e-7);
        assertEquals(5, e.users());
        assertTrue(Double.isNaN(Estimate.of(new double[] {0.3}).standardError()), "one user: no standard error");
    }

    @Test
    void pairedDifferenceOverTheUsersBothSidesHold() {
        // users 1, 2, 3, 5 against 2, 3, 4, 5: common 2, 3, 5 with differences 0.1, 0.3, 0.2
        Estimate d = PairedDifference.of(
                new int[] {1, 2, 3, 5}, new double[] {0.9, 0.5, 0.6, 0.4}, new int[] {2, 3, 4, 5}, new double[] {
                    0.4, 0.3, 0.8, 0.2
                });
        assertEquals(3, d.users());
        assertEquals(0.2, d.mean(), 1e-12);
        // deviations -0.1, 0.1, 0: variance 0.02 / 2 = 0.01, sd 0.1, se 0.1 / sqrt(3)
        assertEquals(0.1 / Math.sqrt(3), d.standardError(), 1e-12);
        // the unpaired fallback: sqrt(se_a^2 + se_b^2)
        Estimate u = PairedDifference.unpaired(new Estimate(0.5, 0.03, 100), new Estimate(0.4, 0.04, 90));
        assertEquals(0.1, u.mean(), 1e-12);
        assertEquals(0.05, u.standardError(), 1e-12);
    }

    @Test
    void sizingRuleTakesTheLargerOfTheProportionalShareAndTheFloor() {
        FullRankingProtocol.Sizing rule = FullRankingProtocol.Sizing.defaults();
        // 610 users (ml-latest-small): proportional round(610 * 10000 / 136677) = 45, floor min(122, 1000) = 122
        assertEquals(122, rule.testUsersOf(610));
        assertEquals(122, rule.validationUsersOf(610, 122));
        // 6,040 users (ml-1m): proportional 442, floor min(1208, 1000) = 1000
        assertEquals(1000, rule.testUsersOf(6040));
        // 136,677 users (ml-20m): proportional 10,000 beats the floor of 1,000: Liang's own split
        assertEquals(10_000, rule.testUsersOf(136_677));
        // tiny: at least one test user, and validation only as far as a training user remains
        assertEquals(1, rule.testUsersOf(3));
        assertEquals(1, rule.validationUsersOf(3, 1));
        assertEquals(0, rule.validationUsersOf(2, 1));
        // explicit counts win
        FullRankingProtocol.Sizing fixed = new FullRankingProtocol.Sizing(50, 0, 0.2, 1000);
        assertEquals(50, fixed.testUsersOf(6040));
        assertEquals(0, fixed.validationUsersOf(6040, 50));
    }

    @Test
    void validationAndTestUsersAreDisjointAndNeitherIsTrainedOnItsHeldOutItems() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(800, 400, 40_000, 8, 20, 9));
        FullRankingProtocol.Split split =
                FullRankingProtocol.split(ratings, FullRankingProtocol.Config.defaults(), ProgressListener.NONE);
        FullRankingProtocol.HeldOut test = split.heldOut(FullRankingProtocol.Users.TEST);
        FullRankingProtocol.HeldOut validation = split.heldOut(FullRankingProtocol.Users.VALIDATION);
        int eligible = split.trainingUsers() + test.userIds().length + validation.userIds().length;
        assertEquals(FullRankingProtocol.Sizing.defaults().testUsersOf(eligible), test.userIds().length);
        assertEquals(test.userIds().length, validation.userIds().length);
        assertTrue(test.userIds().length >= eligible / 5 - 1, "the 20% floor: " + test.userIds().length);
        for (int id : validation.userIds()) {
            assertTrue(Arrays.binarySearch(test.userIds(), id) < 0, "user " + id + " in both sets");
        }
        java.util.Set<Long> trainingPairs = new java.util.HashSet<>();
        Ratings all = split.trainingRatings();
        for (int r = 0; r < all.size(); r++) {
            trainingPairs.add((long) all.userIds()[r] << 32 | all.movieIds()[r]);
        }
        java.util.Set<Long> positivePairs = new java.util.HashSet<>();
        Ratings pos = split.trainingPositives();
        for (int r = 0; r < pos.size(); r++) {
            positivePairs.add((long) pos.userIds()[r] << 32 | pos.movieIds()[r]);
        }
        int heldOutItems = 0;
        for (FullRankingProtocol.HeldOut set : new FullRankingProtocol.HeldOut[] {test, validation}) {
            for (int s = 0; s < set.userIds().length; s++) {
                long user = (long) set.userIds()[s] << 32;
                for (int k = set.heldOut().offsets()[s]; k < set.heldOut().offsets()[s + 1]; k++) {
                    long pair = user | split.catalogue()[set.heldOut().positions()[k]];
                    assertFalse(
                            trainingPairs.contains(pair) || positivePairs.contains(pair), "held-out item trained on");
                    heldOutItems++;
                }
                for (int k = set.foldIn().offsets()[s]; k < set.foldIn().offsets()[s + 1]; k++) {
                    long pair = user | split.catalogue()[set.foldIn().positions()[k]];
                    assertTrue(
                            trainingPairs.contains(pair) && positivePairs.contains(pair), "fold-in item not trained");
                }
            }
        }
        assertTrue(heldOutItems > 100, "held-out items: " + heldOutItems);
        // every other rating row is training data, as the served trainer reads it
        assertEquals(ratings.size() - heldOutItems, all.size());

        // the same model on either set: different users, each with a standard error
        FullRankingMetrics onTest = FullRankingProtocol.evaluate(
                split, FullRankingProtocol.Users.TEST, Scorers.fixed(split.positiveCounts()), 1, ProgressListener.NONE);
        FullRankingMetrics onValidation = FullRankingProtocol.evaluate(
                split,
                FullRankingProtocol.Users.VALIDATION,
                Scorers.fixed(split.positiveCounts()),
                1,
                ProgressListener.NONE);
        assertEquals(FullRankingProtocol.Users.VALIDATION, onValidation.evaluatedOn());
        assertTrue(onValidation.users() > 100 && onTest.users() > 100);
        assertFalse(Arrays.equals(onTest.userIds(), onValidation.userIds()));
        assertFalse(test.fingerprint().equals(validation.fingerprint()));
        assertTrue(onTest.estimate(FullRankingMetrics.Metric.NDCG_100).standardError() > 0);
        // the split is a function of the data: the same fingerprint on a second run
        assertEquals(
                test.fingerprint(),
                FullRankingProtocol.split(ratings, FullRankingProtocol.Config.defaults(), ProgressListener.NONE)
                        .testUsers()
                        .fingerprint());
    }

    /**
     * The same split as Liang et al.'s notebook: expected values printed by its preprocessing code (pandas and
     * numpy, held-out count parameterised) on the same generated rows written as CSV.
     */
    @Test
    void splitsLikeLiangsNotebook() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 5));
        FullRankingProtocol.Split split = FullRankingProtocol.split(
                ratings,
                FullRankingProtocol.Config.defaults().withHeldOutUsers(200).withValidationUsers(200),
                ProgressListener.NONE);
        assertEquals(2577, split.trainingUsers());
        assertEquals(1267, split.catalogue().length);
        assertEquals(200, split.heldOutUserIds().length);
        assertEquals(
                308568, Arrays.stream(split.heldOutUserIds()).asLongStream().sum());
        assertArrayEquals(new int[] {4, 29, 58, 75, 93}, Arrays.copyOf(split.heldOutUserIds(), 5));
        assertEquals(1244, split.test().positions().length);
        assertEquals(5350, split.foldIn().positions().length);
        long hash = 0;
        for (int s = 0; s < 200; s++) {
            for (int k = split.test().offsets()[s]; k < split.test().offsets()[s + 1]; k++) {
                hash += (long) split.heldOutUserIds()[s] * 100003
                        + split.catalogue()[split.test().positions()[k]];
            }
        }
        assertEquals(755227894L, hash % 1_000_000_007L);
    }

    @Test
    void splitKeepsTrainingAndHeldOutApart() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(800, 400, 40_000, 8, 20, 9));
        FullRankingProtocol.Split split = FullRankingProtocol.split(
                ratings,
                FullRankingProtocol.Config.defaults()
                        .withValidationUsers(0)
                        .withSizing(new FullRankingProtocol.Sizing(0, 0, 0, 0)),
                ProgressListener.NONE);
        // without the floor: proportional to Liang's 10,000 of 136,677 users
        assertTrue(split.heldOutUserIds().length >= 50 && split.heldOutUserIds().length <= 60);
        for (int userId : split.trainingPositives().userIds()) {
            int s = Arrays.binarySearch(split.heldOutUserIds(), userId);
            if (s >= 0) {
                // a held-out user's training rows are exactly its fold-in items
                assertTrue(split.foldIn().offsets()[s + 1] > split.foldIn().offsets()[s]);
            }
        }
        for (float v : split.trainingPositives().ratings()) {
            assertEquals(1f, v);
        }
        for (int s = 0; s < split.heldOutUserIds().length; s++) {
            int n = split.foldIn().offsets()[s + 1]
                    - split.foldIn().offsets()[s]
                    + split.test().offsets()[s + 1]
                    - split.test().offsets()[s];
            assertEquals(
                    n >= 5 ? (int) (0.2 * n) : 0,
                    split.test().offsets()[s + 1] - split.test().offsets()[s]);
        }
    }

    @Test
    void itemKnnBeatsPopularityOnDataWithTaste() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 21));
        FullRankingProtocol.Report report = FullRankingProtocol.run(
                ratings,
                ItemKnnParams.seed().withMinRatings(1).withKNeighbors(50),
                FullRankingProtocol.Config.defaults().withHeldOutUsers(300),
                ProgressListener.NONE);
        FullRankingMetrics knn = report.itemKnn();
        for (FullRankingMetrics baseline :
                new FullRankingMetrics[] {report.bayesianPopularity(), report.topPopularity()}) {
            assertTrue(knn.truncatedRecall20() > baseline.truncatedRecall20() * 1.1, () -> knn + " vs " + baseline);
            assertTrue(knn.ndcg100() > baseline.ndcg100() * 1.1, () -> knn + " vs " + baseline);
            assertTrue(knn.coverage20() > baseline.coverage20(), () -> knn + " vs " + baseline);
        }
    }
}
