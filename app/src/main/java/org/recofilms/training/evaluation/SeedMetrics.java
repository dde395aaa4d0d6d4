package org.recofilms.training.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed protocol's metrics (see {@link SeedProtocol}).
 *
 * @param k list length (10)
 * @param precision mean of hits / k ({@code precision_10})
 * @param recall mean of hits / |test movies| ({@code recall_10})
 * @param ndcg mean binary NDCG@k ({@code ndcg_10})
 * @param evaluatedUsers sampled users with a training history, over whom the means are taken
 * @param sampledUsers users sampled from the test rows
 * @param trainRows rating rows the model was trained on
 * @param testRows rating rows held out
 */
public record SeedMetrics(
        int k,
        double precision,
        double recall,
        double ndcg,
        int evaluatedUsers,
        int sampledUsers,
        int trainRows,
        int testRows) {

    /** Metrics under the seed's MLflow names ({@code precision_10}, {@code recall_10}, {@code ndcg_10}). */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("precision_" + k, precision);
        map.put("recall_" + k, recall);
        map.put("ndcg_" + k, ndcg);
        return map;
    }
}
