package org.recofilms.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model to train, resolved: one family with all its parameters. {@link #paramMap()} is what the run log, the
 * registry and model.json record (snake_case names, {@code family} first).
 */
public sealed interface ModelSpec {

    ModelFamily family();

    /** Every parameter by its wire name, with {@code family}. */
    Map<String, Object> paramMap();

    /** Threads of the trainer and the evaluators (0: one per processor). */
    int parallelism();

    /** Movies with fewer rating rows are left out of the model. */
    int minRatings();

    /** A copy with another {@code minRatings}. */
    ModelSpec withMinRatings(int value);

    /** A copy that keeps every given row as an interaction (for rows already chosen as positives). */
    ModelSpec withoutPositiveThreshold();

    /** The seed's item-kNN. */
    record ItemKnn(ItemKnnParams params) implements ModelSpec {
        @Override
        public ModelFamily family() {
            return ModelFamily.ITEMKNN;
        }

        @Override
        public Map<String, Object> paramMap() {
            Map<String, Object> m = start(family());
            m.put("k_neighbors", params.kNeighbors());
            m.put("min_ratings", params.minRatings());
            m.put("distance", "cosine");
            m.put("shrinkage", params.shrinkage());
            m.put("min_co_ratings", params.minCoRatings());
            m.put("positive_threshold", params.positiveThreshold());
            m.put("positive_value", params.positiveValue().name().toLowerCase());
            return m;
        }

        @Override
        public int parallelism() {
            return params.parallelism();
        }

        @Override
        public int minRatings() {
            return params.minRatings();
        }

        @Override
        public ModelSpec withMinRatings(int value) {
            return new ItemKnn(params.withMinRatings(value));
        }

        @Override
        public ModelSpec withoutPositiveThreshold() {
            return params.positiveThreshold() > 0
                    ? new ItemKnn(params.withPositiveOnly(0f, ItemKnnParams.PositiveValue.RATING))
                    : this;
        }
    }

    /** RP3beta. */
    record Rp3Beta(Rp3BetaParams params) implements ModelSpec {
        @Override
        public ModelFamily family() {
            return ModelFamily.RP3BETA;
        }

        @Override
        public Map<String, Object> paramMap() {
            Map<String, Object> m = start(family());
            m.put("alpha", params.alpha());
            m.put("beta", params.beta());
            m.put("top_k", params.topK());
            m.put("min_ratings", params.minRatings());
            m.put("positive_threshold", params.positiveThreshold());
            m.put("normalize_similarity", params.normalizeSimilarity());
            return m;
        }

        @Override
        public int parallelism() {
            return params.parallelism();
        }

        @Override
        public int minRatings() {
            return params.minRatings();
        }

        @Override
        public ModelSpec withMinRatings(int value) {
            return new Rp3Beta(params.withMinRatings(value));
        }

        @Override
        public ModelSpec withoutPositiveThreshold() {
            return new Rp3Beta(params.withPositiveThreshold(0f));
        }
    }

    /** EASE. */
    record Ease(EaseParams params) implements ModelSpec {
        @Override
        public ModelFamily family() {
            return ModelFamily.EASE;
        }

        @Override
        public Map<String, Object> paramMap() {
            Map<String, Object> m = start(family());
            m.put("l2", params.l2());
            m.put("top_k", params.topK());
            m.put("min_ratings", params.minRatings());
            m.put("positive_threshold", params.positiveThreshold());
            return m;
        }

        @Override
        public int parallelism() {
            return params.parallelism();
        }

        @Override
        public int minRatings() {
            return params.minRatings();
        }

        @Override
        public ModelSpec withMinRatings(int value) {
            return new Ease(params.withMinRatings(value));
        }

        @Override
        public ModelSpec withoutPositiveThreshold() {
            return new Ease(params.withPositiveThreshold(0f));
        }
    }

    /** Implicit ALS. */
    record Ials(IalsParams params) implements ModelSpec {
        @Override
        public ModelFamily family() {
            return ModelFamily.IALS;
        }

        @Override
        public Map<String, Object> paramMap() {
            Map<String, Object> m = start(family());
            m.put("factors", params.factors());
            m.put("regularization", params.regularization());
            m.put("unobserved_weight", params.unobservedWeight());
            m.put("alpha", params.alpha());
            m.put("iterations", params.iterations());
            m.put("cg_steps", params.cgSteps());
            m.put("min_ratings", params.minRatings());
            m.put("positive_threshold", params.positiveThreshold());
            m.put("random_seed", params.randomSeed());
            return m;
        }

        @Override
        public int parallelism() {
            return params.parallelism();
        }

        @Override
        public int minRatings() {
            return params.minRatings();
        }

        @Override
        public ModelSpec withMinRatings(int value) {
            return new Ials(params.withMinRatings(value));
        }

        @Override
        public ModelSpec withoutPositiveThreshold() {
            return new Ials(params.withPositiveThreshold(0f));
        }
    }

    private static Map<String, Object> start(ModelFamily family) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", family.id());
        return m;
    }
}
