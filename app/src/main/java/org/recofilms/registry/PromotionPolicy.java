package org.recofilms.registry;

import java.util.Map;
import java.util.Optional;

/**
 * The seed's champion/challenger rule: score = 0.6 ndcg_10 + 0.3 precision_10 + 0.1 recall_10
 * (weights configurable); the challenger is promoted when there is no champion, or when its score
 * beats the champion's by at least {@code minGain}.
 */
public record PromotionPolicy(double ndcgWeight, double precisionWeight, double recallWeight, double minGain) {

    /** The outcome of one comparison, with the numbers behind it. */
    public record Decision(boolean promote, double challengerScore, Optional<Double> championScore, String reason) {}

    public static PromotionPolicy seed() {
        return new PromotionPolicy(0.6, 0.3, 0.1, 0.0);
    }

    public double score(Map<String, Double> metrics) {
        return ndcgWeight * metric(metrics, "ndcg_10")
                + precisionWeight * metric(metrics, "precision_10")
                + recallWeight * metric(metrics, "recall_10");
    }

    private static double metric(Map<String, Double> metrics, String name) {
        Double value = metrics.get(name);
        if (value == null || value.isNaN()) {
            throw new RegistryException("metric " + name + " missing: cannot score the model");
        }
        return value;
    }

    public Decision decide(Map<String, Double> challenger, Optional<Map<String, Double>> champion) {
        double challengerScore = score(challenger);
        if (champion.isEmpty()) {
            return new Decision(true, challengerScore, Optional.empty(), "no champion: the first model is promoted");
        }
        double championScore = score(champion.get());
        double gain = challengerScore - championScore;
        if (gain >= minGain && gain > 0) {
            return new Decision(
                    true,
                    challengerScore,
                    Optional.of(championScore),
                    String.format(
                            "challenger scores %.6f, champion %.6f: gain %.6f >= %.6f",
                            challengerScore, championScore, gain, minGain));
        }
        return new Decision(
                false,
                challengerScore,
                Optional.of(championScore),
                String.format(
                        "challenger scores %.6f, champion %.6f: gain %.6f below the minimum %.6f (or not positive)",
                        challengerScore, championScore, gain, minGain));
    }
}
