package org.recofilms.training;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.LinkedHashMap;
import java.util.Map;
import org.recofilms.platform.RecoConfig;

/**
 * What one training run asks for: a family and the parameters it overrides, in snake_case as on the wire
 * ({@code {"family":"ease","l2":300}}). A parameter left out (null) takes its configured default
 * ({@code reco.training.*}) when the run {@linkplain #resolve resolves} it. Constraints are Bean Validation
 * annotations, checked by {@link TrainingRequests}; the trainers' own checks stay as a second line.
 */
public sealed interface TrainingRequest {

    ModelFamily family();

    /** The family and the given parameters as text, as a pipeline run carries and stores them. */
    default Map<String, String> asParams() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("family", family().id());
        given().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v.toString());
            }
        });
        return out;
    }

    /** The parameters by wire name, null where not given. */
    Map<String, Object> given();

    /** The model to train: the given parameters over the configured defaults. */
    ModelSpec resolve(RecoConfig.Training defaults);

    /** The seed's item-kNN. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ItemKnn(
            @Min(1) Integer kNeighbors,
            @PositiveOrZero Integer minRatings,
            @PositiveOrZero Double shrinkage,
            @PositiveOrZero Integer minCoRatings,
            @PositiveOrZero Double positiveThreshold)
            implements TrainingRequest {

        @Override
        public ModelFamily family() {
            return ModelFamily.ITEMKNN;
        }

        @Override
        public Map<String, Object> given() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k_neighbors", kNeighbors);
            m.put("min_ratings", minRatings);
            m.put("shrinkage", shrinkage);
            m.put("min_co_ratings", minCoRatings);
            m.put("positive_threshold", positiveThreshold);
            return m;
        }

        @Override
        public ModelSpec resolve(RecoConfig.Training t) {
            ItemKnnParams p = ItemKnnParams.seed()
                    .withMinRatings(or(minRatings, t.minRatings()))
                    .withKNeighbors(or(kNeighbors, t.kNeighbors()))
                    .withShrinkage(or(shrinkage, t.shrinkage()))
                    .withMinCoRatings(or(minCoRatings, t.minCoRatings()))
                    .withParallelism(t.parallelism());
            double threshold = or(positiveThreshold, t.positiveThreshold());
            return new ModelSpec.ItemKnn(
                    threshold > 0 ? p.withPositiveOnly((float) threshold, ItemKnnParams.PositiveValue.ONE) : p);
        }
    }

    /** RP3beta. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Rp3Beta(
            @Positive Double alpha,
            @PositiveOrZero Double beta,
            @Min(1) Integer topK,
            @PositiveOrZero Integer minRatings,
            @PositiveOrZero Double positiveThreshold,
            Boolean normalizeSimilarity)
            implements TrainingRequest {

        @Override
        public ModelFamily family() {
            return ModelFamily.RP3BETA;
        }

        @Override
        public Map<String, Object> given() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alpha", alpha);
            m.put("beta", beta);
            m.put("top_k", topK);
            m.put("min_ratings", minRatings);
            m.put("positive_threshold", positiveThreshold);
            m.put("normalize_similarity", normalizeSimilarity);
            return m;
        }

        @Override
        public ModelSpec resolve(RecoConfig.Training t) {
            RecoConfig.Training.Rp3beta d = t.rp3beta();
            return new ModelSpec.Rp3Beta(new Rp3BetaParams(
                    or(alpha, d.alpha()),
                    or(beta, d.beta()),
                    or(topK, d.topK()),
                    or(minRatings, d.minRatings()),
                    (float) or(positiveThreshold, d.positiveThreshold()),
                    normalizeSimilarity != null ? normalizeSimilarity : d.normalizeSimilarity(),
                    t.parallelism()));
        }
    }

    /** EASE. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Ease(
            @Positive Double l2,
            @Min(1) Integer topK,
            @PositiveOrZero Integer minRatings,
            @PositiveOrZero Double positiveThreshold)
            implements TrainingRequest {

        @Override
        public ModelFamily family() {
            return ModelFamily.EASE;
        }

        @Override
        public Map<String, Object> given() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("l2", l2);
            m.put("top_k", topK);
            m.put("min_ratings", minRatings);
            m.put("positive_threshold", positiveThreshold);
            return m;
        }

        @Override
        public ModelSpec resolve(RecoConfig.Training t) {
            RecoConfig.Training.Ease d = t.ease();
            return new ModelSpec.Ease(new EaseParams(
                    or(l2, d.l2()),
                    or(topK, d.topK()),
                    or(minRatings, d.minRatings()),
                    (float) or(positiveThreshold, d.positiveThreshold()),
                    t.parallelism()));
        }
    }

    /** Implicit ALS. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Ials(
            @Min(1) @Max(1024) Integer factors,
            @PositiveOrZero Double regularization,
            @Positive Double unobservedWeight,
            @PositiveOrZero Double alpha,
            @Min(1) @Max(1000) Integer iterations,
            @PositiveOrZero @Max(100) Integer cgSteps,
            @PositiveOrZero Integer minRatings,
            @PositiveOrZero Double positiveThreshold,
            Long randomSeed)
            implements TrainingRequest {

        @Override
        public ModelFamily family() {
            return ModelFamily.IALS;
        }

        @Override
        public Map<String, Object> given() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("factors", factors);
            m.put("regularization", regularization);
            m.put("unobserved_weight", unobservedWeight);
            m.put("alpha", alpha);
            m.put("iterations", iterations);
            m.put("cg_steps", cgSteps);
            m.put("min_ratings", minRatings);
            m.put("positive_threshold", positiveThreshold);
            m.put("random_seed", randomSeed);
            return m;
        }

        @Override
        public ModelSpec resolve(RecoConfig.Training t) {
            RecoConfig.Training.Ials d = t.ials();
            return new ModelSpec.Ials(new IalsParams(
                    or(factors, d.factors()),
                    or(regularization, d.regularization()),
                    or(unobservedWeight, d.unobservedWeight()),
                    or(alpha, d.alpha()),
                    or(iterations, d.iterations()),
                    or(cgSteps, d.cgSteps()),
                    or(minRatings, d.minRatings()),
                    (float) or(positiveThreshold, d.positiveThreshold()),
                    randomSeed != null ? randomSeed : d.randomSeed(),
                    t.parallelism()));
        }
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
