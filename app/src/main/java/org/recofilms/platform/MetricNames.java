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

    /**
     * Timer with a percentile histogram: HTTP request latency, from Quarkus's own binder
     * (http_server_requests_seconds). Tags: method, uri (the route template), status, outcome.
     */
    public static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    /** Counter: recommendation answers. Tag: strategy (item_cf, popularity). */
    public static final String RECOMMENDATIONS = "reco.recommendations";

    /**
     * Counter: answers that fell back to the popularity list. Tag: reason (no_model, unknown_user,
     * few_ratings, no_candidate, degraded).
     */
    public static final String RECOMMEND_FALLBACKS = "reco.recommend.fallbacks";

    /**
     * Counter: recommendation answers degraded to the popularity list because the user's ratings
     * could not be read in time (reco_recommendations_degraded_total); they are also counted in
     * {@link #RECOMMEND_FALLBACKS} with reason degraded.
     */
    public static final String RECOMMENDATIONS_DEGRADED = "reco.recommendations.degraded";

    /** Distribution summary with a histogram: the scores of item_cf recommendations served. */
    public static final String RECOMMEND_SCORE = "reco.recommend.score";

    /** Gauge: version number of the model being served (0 when none). */
    public static final String MODEL_VERSION = "reco.model.version";

    /** Gauge: epoch seconds when the serving model was loaded (0 when none). */
    public static final String MODEL_LOADED_AT = "reco.model.loaded.at";

    /** Counter: real-time ratings stored. */
    public static final String RATINGS_SUBMITTED = "reco.ratings.submitted";

    /** Counter: pipeline runs that ended. Tags: kind, status (success, failed). */
    public static final String PIPELINE_RUNS = "reco.pipeline.runs";

    /** Timer: duration of each pipeline step. Tags: kind, step, status. */
    public static final String PIPELINE_STEP_DURATION = "reco.pipeline.step.duration";

    /** Gauge: epoch seconds of the last successful run of a kind (0 before the first). Tag: kind. */
    public static final String PIPELINE_LAST_SUCCESS = "reco.pipeline.last.success";

    /** Gauge: pipeline runs queued or running now. Tag: kind. */
    public static final String PIPELINE_ACTIVE = "reco.pipeline.active";

    /**
     * Gauge: PSI of the latest month or year against the one before (NaN before the first monitoring
     * run). Tags: metric (psi_rating_prev_month, psi_genre_prev_month, psi_rating_prev_year,
     * psi_genre_prev_year), period_type (monthly, yearly).
     */
    public static final String MONITORING_PSI = "reco.monitoring.psi";

    /** Gauge: users in this instance's in-memory histories (serving.HistoryService). */
    public static final String HISTORIES_USERS = "reco.histories.users";

    /** Gauge: ratings in the in-memory histories (arrays and overlay). */
    public static final String HISTORIES_RATINGS = "reco.histories.ratings";

    /** Gauge: bytes of the in-memory histories' arrays. */
    public static final String HISTORIES_BYTES = "reco.histories.bytes";

    /** Gauge: seconds the last full load of the histories took. */
    public static final String HISTORIES_LOAD_SECONDS = "reco.histories.load.seconds";

    /** Gauge: ratings in the overlay, not yet merged into the arrays. */
    public static final String HISTORIES_OVERLAY = "reco.histories.overlay.ratings";

    /** Gauge: seconds since the last successful catch-up read of raw.feedback_ratings began (its staleness bound). */
    public static final String HISTORIES_CATCHUP_LAG = "reco.histories.catchup.lag.seconds";

    private MetricNames() {}
}
