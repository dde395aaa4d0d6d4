package org.recofilms.platform;

/**
 * Every metric name reco-films registers, in one place so that dashboards, alerts and the test
 * that reads /q/metrics agree. Tags stay low-cardinality: never a user id or a movie id.
 */
public final class MetricNames {

    /** Gauge: 1 when a readiness check of the tagged component passes, else 0. Tag: component. */
    public static final String READINESS_UP = "reco.readiness.up";

    private MetricNames() {}
}
