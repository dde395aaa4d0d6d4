package org.recofilms.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import org.recofilms.platform.MetricNames;

/**
 * The serving metrics: answers by strategy, fallbacks by reason, the scores served and the model
 * version. Every series is registered at start, at zero, so dashboards and alerts find them before
 * the first request.
 */
@Startup
@ApplicationScoped
public class ServingMetrics {

    private final Counter itemCf;
    private final Counter factors;
    private final Counter popularity;
    private final Map<Recommender.Fallback, Counter> fallbacks = new EnumMap<>(Recommender.Fallback.class);
    private final DistributionSummary scores;
    private final Counter ratings;
    private final Counter degraded;

    public ServingMetrics(MeterRegistry registry, ModelState state) {
        itemCf = Counter.builder(MetricNames.RECOMMENDATIONS)
                .description("Recommendation answers by strategy")
                .tag("strategy", "item_cf")
                .register(registry);
        factors = Counter.builder(MetricNames.RECOMMENDATIONS)
                .description("Recommendation answers by strategy")
                .tag("strategy", FactorRecommender.STRATEGY)
                .register(registry);
        popularity = Counter.builder(MetricNames.RECOMMENDATIONS)
                .description("Recommendation answers by strategy")
                .tag("strategy", "popularity")
                .register(registry);
        for (Recommender.Fallback reason : Recommender.Fallback.values()) {
            fallbacks.put(
                    reason,
                    Counter.builder(MetricNames.RECOMMEND_FALLBACKS)
                            .description("Answers that fell back to the popularity list, by reason")
                            .tag("reason", reason.tag)
                            .register(registry));
        }
        scores = DistributionSummary.builder(MetricNames.RECOMMEND_SCORE)
                .description("Scores of the item_cf recommendations served")
                .serviceLevelObjectives(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50)
                .register(registry);
        degraded = Counter.builder(MetricNames.RECOMMENDATIONS_DEGRADED)
                .description("Recommendation answers degraded to the popularity list: the user's ratings could not be"
                        + " read in time")
                .register(registry);
        ratings = Counter.builder(MetricNames.RATINGS_SUBMITTED)
                .description("Real-time ratings stored")
                .register(registry);
        Gauge.builder(
                        MetricNames.MODEL_VERSION,
                        state,
                        s -> s.model().map(m -> (double) m.version().version()).orElse(0.0))
                .description("Version of the model being served, 0 when none")
                .register(registry);
        Gauge.builder(
                        MetricNames.MODEL_LOADED_AT,
                        state,
                        s -> s.model()
                                .map(m -> m.loadedAt().toEpochMilli() / 1000.0)
                                .orElse(0.0))
                .description("Epoch seconds when the serving model was loaded, 0 when none")
                .register(registry);
    }

    /** Counts one answer and, for item_cf, its scores (iALS's dot products are on another scale). */
    public void answered(Recommender.Recommendation answer) {
        if (answer.fallback() == null && FactorRecommender.STRATEGY.equals(answer.strategy())) {
            factors.increment();
        } else if (answer.fallback() == null) {
            itemCf.increment();
            for (Recommender.Item item : answer.items()) {
                scores.record(item.score());
            }
        } else {
            popularity.increment();
            fallbacks.get(answer.fallback()).increment();
        }
    }

    /** Counts one answer that could not read the user's ratings (also counted by {@link #answered}). */
    public void degraded() {
        degraded.increment();
    }

    public void ratingsStored(int count) {
        ratings.increment(count);
    }
}
