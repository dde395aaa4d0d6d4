package org.recofilms.serving;

import java.time.Instant;
import java.util.Map;
import org.recofilms.registry.ModelVersion;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;

/**
 * The model in memory, immutable, swapped as a whole: neighbour lists and the popularity list in
 * primitive arrays, with what the registry says of its version (run params, metrics, tags), and the
 * recommender built over them once, when the model is loaded.
 */
public record ServingModel(
        ModelVersion version,
        NeighborArrays neighbors,
        PopularityArrays popularity,
        Map<String, String> params,
        Map<String, Double> metrics,
        Map<String, String> tags,
        Instant loadedAt,
        Recommender recommender) {

    public ServingModel(
            ModelVersion version,
            NeighborArrays neighbors,
            PopularityArrays popularity,
            Map<String, String> params,
            Map<String, Double> metrics,
            Map<String, String> tags,
            Instant loadedAt) {
        this(version, neighbors, popularity, params, metrics, tags, loadedAt, new Recommender(neighbors, popularity));
    }
}
