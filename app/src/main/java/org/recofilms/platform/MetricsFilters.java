package org.recofilms.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Micrometer settings that a property cannot express. */
@Singleton
public class MetricsFilters {

    /** Latency buckets around the 5 ms target, so that Prometheus can compute p50/p99 per endpoint. */
    private static final double[] LATENCY_BUCKETS_MS = {0.5, 1, 2, 3, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

    /**
     * The reactive PostgreSQL client asks Quarkus for client metrics once per connection, and each
     * registers the gauges {@code postgresql.queue.size} and {@code postgresql.current} with the same
     * tags: Micrometer keeps the first connection's and warns "This Gauge has been already
     * registered" at the second (quarkusio/quarkus#47504). Those gauges describe one connection,
     * the first, even after it closed; the pool's own figures are {@code vertx.pool.*} with
     * {@code pool.type=sql}. So they are not registered at all.
     */
    @Produces
    @Singleton
    public MeterFilter noPerConnectionSqlGauges() {
        return MeterFilter.deny(id -> perConnectionSqlGauge(id.getName()) && "sql".equals(id.getTag("clientType")));
    }

    /**
     * The SQL client's per-connection gauges, {@code <prefix>.queue.size} and {@code <prefix>.current}: with the
     * prefix {@code postgresql}, or none ({@code .queue.size}: seen from connections opened later, e.g. by the
     * Monitoring page).
     */
    static boolean perConnectionSqlGauge(String name) {
        return name.endsWith(".queue.size") || name.endsWith(".current");
    }

    @Produces
    @Singleton
    public MeterFilter httpLatencyHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!MetricNames.HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return config;
                }
                double[] slos = new double[LATENCY_BUCKETS_MS.length];
                for (int i = 0; i < slos.length; i++) {
                    slos[i] = LATENCY_BUCKETS_MS[i] * 1_000_000; // timers take nanoseconds
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(slos)
                        .build()
                        .merge(config);
            }
        };
    }
}
