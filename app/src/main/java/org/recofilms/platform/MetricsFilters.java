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
