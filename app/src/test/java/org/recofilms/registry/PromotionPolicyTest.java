package org.recofilms.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The champion/challenger rule on hand-computed scores. */
class PromotionPolicyTest {

    private static Map<String, Double> metrics(double ndcg, double precision, double recall) {
        return Map.of("ndcg_10", ndcg, "precision_10", precision, "recall_10", recall);
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
        assertTrue(d.championScore().isEmpty());
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
        PromotionPolicy p = new PromotionPolicy(0.6, 0.3, 0.1, 0.01);
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
    }
}
