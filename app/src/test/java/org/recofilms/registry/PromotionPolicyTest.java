package org.recofilms.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.recofilms.training.evaluation.FullRankingMetrics;
import org.recofilms.training.evaluation.FullRankingProtocol;

/** The champion/challenger rule on hand-computed scores. */
class PromotionPolicyTest {

    private static Map<String, Double> metrics(double ndcg, double precision, double recall) {
        return Map.of("ndcg_10", ndcg, "precision_10", precision, "recall_10", recall);
    }

    /** Per-user full-ranking metrics with the given NDCG@100 per user (ids 1..n), the other metrics 0. */
    private static FullRankingMetrics perUser(String fingerprint, double... ndcg) {
        int[] ids = new int[ndcg.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        Map<FullRankingMetrics.Metric, double[]> values = new EnumMap<>(FullRankingMetrics.Metric.class);
        for (FullRankingMetrics.Metric m : FullRankingMetrics.Metric.values()) {
            values.put(m, m == FullRankingMetrics.Metric.NDCG_100 ? ndcg : new double[ndcg.length]);
        }
        return new FullRankingMetrics(FullRankingProtocol.Users.TEST, fingerprint, ids, values, 0.1, 100);
    }

    /** A candidate whose run metrics are the seed's plus its per-user NDCG@100's mean and standard error. */
    private static PromotionPolicy.Candidate candidate(String family, FullRankingMetrics m, boolean withPerUser) {
        Map<String, Double> run = new java.util.HashMap<>(metrics(0.5, 0.4, 0.2));
        m.asMap().forEach((k, v) -> run.put("full_" + k, v));
        return new PromotionPolicy.Candidate(family, run, withPerUser ? Optional.of(m) : Optional.empty());
    }

    @Test
    void scoreIsTheSeedsWeightedSum() {
        // 0.6 * 0.5 + 0.3 * 0.4 + 0.1 * 0.2 = 0.30 + 0.12 + 0.02 = 0.44
        assertEquals(0.44, PromotionPolicy.seed().score(metrics(0.5, 0.4, 0.2)), 1e-12);
    }

    @Test
    void withoutChampionTheChallengerWins() {
        var d = PromotionPolicy.seed().decide(metrics(0.1, 0.1, 0.1), Optional.empty());
        assertTrue(d.promote());
        assertTrue(d.championValue().isEmpty());
        var full = PromotionPolicy.fullRanking("full_ndcg_100", 2)
                .decide(candidate("ease", perUser("f", 0.3, 0.5), true), Optional.empty());
        assertTrue(full.promote());
        assertEquals(PromotionPolicy.Basis.FIRST_MODEL, full.basis());
        assertEquals(0.4, full.challengerValue(), 1e-12);
    }

    @Test
    void aBetterChallengerWinsAWorseOneOrAnEqualOneDoesNot() {
        PromotionPolicy p = PromotionPolicy.seed();
        assertTrue(p.decide(metrics(0.51, 0.4, 0.2), Optional.of(metrics(0.5, 0.4, 0.2)))
                .promote());
        assertFalse(p.decide(metrics(0.49, 0.4, 0.2), Optional.of(metrics(0.5, 0.4, 0.2)))
                .promote());
        assertFalse(
                p.decide(metrics(0.5, 0.4, 0.2), Optional.of(metrics(0.5, 0.4, 0.2)))
                        .promote(),
                "a tie keeps the champion");
    }

    @Test
    void theMinimumGainIsRespected() {
        PromotionPolicy p = new PromotionPolicy(PromotionPolicy.SEED_WEIGHTED, 2, 0.6, 0.3, 0.1, 0.01);
        // gain 0.6 * 0.01 = 0.006 < 0.01
        var small = p.decide(metrics(0.51, 0.4, 0.2), Optional.of(metrics(0.5, 0.4, 0.2)));
        assertFalse(small.promote());
        assertTrue(small.reason().contains("below the minimum"), small.reason());
        // gain 0.6 * 0.02 = 0.012 >= 0.01
        assertTrue(p.decide(metrics(0.52, 0.4, 0.2), Optional.of(metrics(0.5, 0.4, 0.2)))
                .promote());
    }

    @Test
    void aMissingMetricIsAnError() {
        assertThrows(RegistryException.class, () -> PromotionPolicy.seed().score(Map.of("ndcg_10", 0.5)));
        assertThrows(IllegalArgumentException.class, () -> PromotionPolicy.fullRanking("full_ndcg_10", 2));
    }

    @Test
    void aPairedGainAboveTheThresholdPromotes() {
        // per-user differences 0.10, 0.12, 0.08, 0.10: mean 0.10, deviations 0, 0.02, -0.02, 0,
        // sample variance 0.0008 / 3, sd 0.016330, se 0.008165: 12.2 standard errors
        FullRankingMetrics champion = perUser("split-a", 0.30, 0.50, 0.20, 0.40);
        FullRankingMetrics challenger = perUser("split-a", 0.40, 0.62, 0.28, 0.50);
        var d = PromotionPolicy.fullRanking("full_ndcg_100", 2)
                .decide(candidate("ease", challenger, true), Optional.of(candidate("itemknn", champion, true)));
        assertTrue(d.promote(), d.reason());
        assertEquals(PromotionPolicy.Basis.PAIRED, d.basis());
        assertEquals(0.10, d.difference().orElseThrow(), 1e-12);
        assertEquals(Math.sqrt(0.0008 / 3) / 2, d.differenceSe().orElseThrow(), 1e-12);
        assertEquals(4, d.pairedUsers().orElseThrow());
        assertEquals(0.35, d.championValue().orElseThrow(), 1e-12);
        assertTrue(d.reason().contains("(ease)") && d.reason().contains("(itemknn)"), d.reason());
        assertTrue(d.reason().contains("significant gain"), d.reason());
        // unpaired the same means are far less certain: the sides' se are 0.072 and 0.065, the difference's 0.097
        var unpaired = PromotionPolicy.fullRanking("full_ndcg_100", 2)
                .decide(candidate("ease", challenger, false), Optional.of(candidate("itemknn", champion, false)));
        assertEquals(PromotionPolicy.Basis.UNPAIRED, unpaired.basis());
        assertFalse(unpaired.promote(), unpaired.reason());
        assertTrue(unpaired.reason().contains("not significant"), unpaired.reason());
        double se = Math.hypot(
                challenger.estimate(FullRankingMetrics.Metric.NDCG_100).standardError(),
                champion.estimate(FullRankingMetrics.Metric.NDCG_100).standardError());
        assertEquals(se, unpaired.differenceSe().orElseThrow(), 1e-12);
        // different splits cannot be paired either
        var otherSplit = PromotionPolicy.fullRanking("full_ndcg_100", 2)
                .decide(
                        candidate("ease", perUser("split-b", 0.40, 0.62, 0.28, 0.50), true),
                        Optional.of(candidate("itemknn", champion, true)));
        assertEquals(PromotionPolicy.Basis.UNPAIRED, otherSplit.basis());
    }

    @Test
    void aSmallPairedGainIsNotSignificant() {
        // differences +0.02, -0.01, +0.02, -0.01: mean 0.005, deviations 0.015, -0.015, ...: variance 0.0009 / 3,
        // sd 0.017321, se 0.008660: 0.58 standard errors, below 2
        FullRankingMetrics champion = perUser("s", 0.30, 0.50, 0.20, 0.40);
        FullRankingMetrics challenger = perUser("s", 0.32, 0.49, 0.22, 0.39);
        var d = PromotionPolicy.fullRanking("full_ndcg_100", 2)
                .decide(candidate("rp3beta", challenger, true), Optional.of(candidate("itemknn", champion, true)));
        assertFalse(d.promote(), d.reason());
        assertEquals(0.005, d.difference().orElseThrow(), 1e-12);
        assertEquals(Math.sqrt(0.0009 / 3) / 2, d.differenceSe().orElseThrow(), 1e-12);
        assertTrue(d.reason().contains("not significant"), d.reason());
        assertTrue(d.reason().contains("0.58 standard errors, threshold 2"), d.reason());
        // with a threshold of 0.5 standard errors the same gain promotes
        assertTrue(PromotionPolicy.fullRanking("full_ndcg_100", 0.5)
                .decide(candidate("rp3beta", challenger, true), Optional.of(candidate("itemknn", champion, true)))
                .promote());
        // a loss is no gain, whatever the threshold
        var loss = PromotionPolicy.fullRanking("full_ndcg_100", 0)
                .decide(candidate("itemknn", champion, true), Optional.of(candidate("rp3beta", challenger, true)));
        assertFalse(loss.promote());
        assertTrue(loss.reason().contains("no gain"), loss.reason());
    }

    @Test
    void withoutTheFullRankingMetricTheSeedsScoreDecides() {
        FullRankingMetrics m = perUser("s", 0.30, 0.50);
        var d = PromotionPolicy.fullRanking("full_ndcg_100", 2)
                .decide(
                        candidate("itemknn", m, true),
                        Optional.of(
                                new PromotionPolicy.Candidate("itemknn", metrics(0.4, 0.4, 0.2), Optional.empty())));
        assertEquals(PromotionPolicy.Basis.SEED_WEIGHTED, d.basis());
        assertEquals(PromotionPolicy.SEED_WEIGHTED, d.metric());
        assertTrue(d.promote(), d.reason());
        assertTrue(d.reason().startsWith("full_ndcg_100 missing on the champion"), d.reason());
    }
}
