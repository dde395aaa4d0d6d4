package org.recofilms.serving;

import java.time.Instant;
import java.util.Map;
import org.recofilms.registry.ModelVersion;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;
import org.recofilms.training.ModelFamily;

/**
 * The model in memory, immutable, swapped as a whole: its family, neighbour lists (empty for iALS)
 * and the popularity list in primitive arrays, with what the registry says of its version (run
 * params, metrics, tags), and the recommender built over them once, when the model is loaded.
 */
public record ServingModel(
        ModelVersion version,
        ModelFamily family,
        NeighborArrays neighbors,
        PopularityArrays popularity,
        Map<String, String> params,
        Map<String, Double> metrics,
        Map<String, String> tags,
        Instant loadedAt,
        UserRecommender recommender) {

    private static final NeighborArrays NO_NEIGHBORS =
            new NeighborArrays(new int[0], new int[] {0}, new int[0], new float[0]);

    /** An item-item model (item-kNN, RP3beta, EASE), served by the seed's rule. */
    public ServingModel(
            ModelVersion version,
            ModelFamily family,
            NeighborArrays neighbors,
            PopularityArrays popularity,
            Map<String, String> params,
            Map<String, Double> metrics,
            Map<String, String> tags,
            Instant loadedAt) {
        this(
                version,
                family,
                neighbors,
                popularity,
                params,
                metrics,
                tags,
                loadedAt,
                new Recommender(neighbors, popularity));
    }

    /** An iALS model: no neighbour lists, the user folded in at request time. */
    public static ServingModel factors(
            ModelVersion version,
            FactorBundle.Factors factors,
            PopularityArrays popularity,
            Map<String, String> params,
            Map<String, Double> metrics,
            Map<String, String> tags,
            Instant loadedAt) {
        return new ServingModel(
                version,
                ModelFamily.IALS,
                NO_NEIGHBORS,
                popularity,
                params,
                metrics,
                tags,
                loadedAt,
                new FactorRecommender(factors, popularity));
    }
}
