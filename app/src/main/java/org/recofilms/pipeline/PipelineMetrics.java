package org.recofilms.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.recofilms.platform.MetricNames;

/**
 * The pipeline metrics: runs ended by kind and status, step durations, the last success of each
 * kind, and the runs queued or running now across all instances (read from the database by the
 * reaper, so every instance reports the same number).
 */
@ApplicationScoped
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Map<PipelineKind, AtomicLong> lastSuccess = new EnumMap<>(PipelineKind.class);
    private final Map<PipelineKind, AtomicLong> active = new EnumMap<>(PipelineKind.class);

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (PipelineKind kind : PipelineKind.values()) {
            AtomicLong last = new AtomicLong();
            lastSuccess.put(kind, last);
            Gauge.builder(MetricNames.PIPELINE_LAST_SUCCESS, last, AtomicLong::get)
                    .description("epoch seconds of the last successful pipeline run of a kind")
                    .tag("kind", kind.id())
                    .register(registry);
            AtomicLong now = new AtomicLong();
            active.put(kind, now);
            Gauge.builder(MetricNames.PIPELINE_ACTIVE, now, AtomicLong::get)
                    .description("pipeline runs queued or running now")
                    .tag("kind", kind.id())
                    .register(registry);
        }
    }

    /** A run ended (success, failed or not_enqueued). */
    public void runEnded(String kind, RunStatus status) {
        registry.counter(
                        MetricNames.PIPELINE_RUNS,
                        "kind",
                        kind,
                        "status",
                        status.name().toLowerCase())
                .increment();
        if (status == RunStatus.SUCCESS) {
            PipelineKind.find(kind)
                    .ifPresent(k -> lastSuccess.get(k).set(Instant.now().getEpochSecond()));
        }
    }

    public void stepEnded(String kind, PipelineKind.Step step, StepStatus status, Duration duration) {
        Timer.builder(MetricNames.PIPELINE_STEP_DURATION)
                .description("duration of pipeline steps")
                .tags("kind", kind, "step", step.id(), "status", status.name().toLowerCase())
                .register(registry)
                .record(duration.isNegative() ? Duration.ZERO : duration);
    }

    public void active(Map<String, Long> byKind) {
        active.forEach((kind, gauge) -> gauge.set(byKind.getOrDefault(kind.id(), 0L)));
    }
}
