package org.recofilms.training.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full-ranking metrics (see {@link FullRankingProtocol}), each the mean over evaluated held-out users.
 *
 * @param recall20 hits in the top 20 / |test items|
 * @param truncatedRecall20 hits in the top 20 / min(20, |test items|): Liang et al.'s Recall@20, the one
 *     Dacrema et al. report (0.2851 for tuned item-kNN, 0.1441 for TopPop on ML-20M)
 * @param truncatedRecall50 hits in the top 50 / min(50, |test items|): Liang's Recall@50
 * @param ndcg100 binary NDCG@100 (Dacrema et al.: 0.3459 item-kNN, 0.1901 TopPop on ML-20M)
 * @param coverage20 share of the catalogue appearing in at least one user's top 20
 * @param users held-out users with at least one test item
 * @param catalogueSize movies that could be recommended
 */
public record FullRankingMetrics(
        double recall20,
        double truncatedRecall20,
        double truncatedRecall50,
        double ndcg100,
        double coverage20,
        int users,
        int catalogueSize) {

    /** Metrics under stable names for run tracking. */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("recall_20", recall20);
        map.put("recall_20_truncated", truncatedRecall20);
        map.put("recall_50_truncated", truncatedRecall50);
        map.put("ndcg_100", ndcg100);
        map.put("coverage_20", coverage20);
        return map;
    }
}
