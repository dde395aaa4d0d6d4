package org.recofilms.platform;

/**
 * Every metric name reco-films registers, in one place so that dashboards, alerts and the test
 * that reads /q/metrics agree. Tags stay low-cardinality: never a user id or a movie id.
 */
public final class MetricNames {

    /** Gauge: 1 when a readiness check of the tagged component passes, else 0. Tag: component. */
    public static final String READINESS_UP = "reco.readiness.up";

    /** Counter: rows accepted by ingestions. Tag: file. */
    public static final String INGESTION_ROWS = "reco.ingestion.rows";

    /** Counter: lines rejected by ingestions. Tags: file, kind. */
    public static final String INGESTION_REJECTS = "reco.ingestion.rejects";

    /** Gauge: share of the current ingestion's bytes read, 0 to 1 (1 when idle). */
    public static final String INGESTION_PROGRESS = "reco.ingestion.progress";

    /** Gauge: rows per second of the file being loaded (0 when idle). */
    public static final String INGESTION_ROWS_PER_SECOND = "reco.ingestion.rows.per.second";

    /** Timer: duration of ingestion runs. Tags: status (success, no_op, failed). */
    public static final String INGESTION_DURATION = "reco.ingestion.duration";

    /** Gauge: epoch seconds of the last successful ingestion (0 before the first). */
    public static final String INGESTION_LAST_SUCCESS = "reco.ingestion.last.success";

    /** Gauge: share of the current training phase done, 0 to 1 (1 when idle). */
    public static final String TRAINING_PROGRESS = "reco.training.progress";

    /** Timer: duration of training runs. Tag: status (success, failed). */
    public static final String TRAINING_DURATION = "reco.training.duration";

    /** Gauge: epoch seconds of the last successful training (0 before the first). */
    public static final String TRAINING_LAST_SUCCESS = "reco.training.last.success";

    private MetricNames() {}
}
