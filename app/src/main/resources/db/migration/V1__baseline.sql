-- reco-films baseline schema.
-- Schema raw keeps the seed's MovieLens tables and column names ("userId", "movieId", ...) so that
-- SQL written for MovieLens and the seed's Grafana queries keep working. Schema reco holds what the
-- platform adds: pipeline runs, real-time feedback and the built-in model registry. Flyway creates
-- both schemas (quarkus.flyway.schemas).


-- MovieLens tables ------------------------------------------------------------------------------

CREATE TABLE raw.raw_movies (
    "movieId" integer PRIMARY KEY,
    title     text    NOT NULL,
    genres    text    NOT NULL
);

CREATE TABLE raw.raw_ratings (
    "userId"    integer NOT NULL,
    "movieId"   integer NOT NULL,
    rating      real    NOT NULL CHECK (rating >= 0.5 AND rating <= 5.0),
    "timestamp" bigint  NOT NULL,
    PRIMARY KEY ("userId", "movieId")
);
-- ratings by user come from the primary key; by movie and by time need their own indexes
CREATE INDEX raw_ratings_movie_idx ON raw.raw_ratings ("movieId");
CREATE INDEX raw_ratings_timestamp_idx ON raw.raw_ratings ("timestamp");

CREATE TABLE raw.raw_tags (
    "userId"    integer NOT NULL,
    "movieId"   integer NOT NULL,
    tag         text    NOT NULL,
    "timestamp" bigint  NOT NULL
);
CREATE INDEX raw_tags_movie_idx ON raw.raw_tags ("movieId");
CREATE INDEX raw_tags_user_idx ON raw.raw_tags ("userId");

CREATE TABLE raw.raw_links (
    "movieId" integer PRIMARY KEY,
    "imdbId"  integer,
    "tmdbId"  integer
);

CREATE TABLE raw.raw_genome_tags (
    "tagId" integer PRIMARY KEY,
    tag     text    NOT NULL
);

CREATE TABLE raw.raw_genome_scores (
    "movieId"  integer NOT NULL,
    "tagId"    integer NOT NULL,
    relevance  real    NOT NULL,
    PRIMARY KEY ("movieId", "tagId")
);

-- Ratings sent through POST /users/{id}/ratings. Kept apart from raw_ratings so that a re-ingestion
-- of the MovieLens files never loses them; current_ratings merges both (feedback wins).
CREATE TABLE raw.feedback_ratings (
    "userId"    integer     NOT NULL,
    "movieId"   integer     NOT NULL,
    rating      real        NOT NULL CHECK (rating >= 0.5 AND rating <= 5.0),
    "timestamp" bigint      NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY ("userId", "movieId")
);
CREATE INDEX feedback_ratings_movie_idx ON raw.feedback_ratings ("movieId");

-- The views over these tables live in R__views.sql: an ingestion swaps the tables in and runs it again.

-- Model outputs served from the database (the in-memory model is loaded from artifacts) ----------

CREATE TABLE raw.movie_popularity (
    "movieId"   integer          PRIMARY KEY,
    n_ratings   integer          NOT NULL,
    mean_rating real             NOT NULL,
    bayes_score double precision NOT NULL
);
CREATE INDEX movie_popularity_score_idx ON raw.movie_popularity (bayes_score DESC, "movieId");

CREATE TABLE raw.item_neighbors (
    "movieId"         integer  NOT NULL,
    "neighborMovieId" integer  NOT NULL,
    similarity        real     NOT NULL,
    rank              smallint NOT NULL,
    PRIMARY KEY ("movieId", rank)
);

-- Run logs and checks (seed-compatible names, read by the Grafana dashboards) --------------------

CREATE TABLE raw.ingestion_run_log (
    id               bigserial PRIMARY KEY,
    run_id           uuid        NOT NULL UNIQUE,
    source           text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    status           text        NOT NULL,
    duration_seconds double precision,
    rows_injected    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    rows_total       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    rows_rejected    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    dataset_md5      text,
    no_op            boolean     NOT NULL DEFAULT false,
    error            text
);
CREATE INDEX ingestion_run_log_started_idx ON raw.ingestion_run_log (started_at DESC);

CREATE TABLE raw.ingestion_rejects (
    run_id      uuid    NOT NULL,
    file        text    NOT NULL,
    line_number bigint  NOT NULL,
    kind        text    NOT NULL,
    content     text,
    PRIMARY KEY (run_id, file, line_number)
);

CREATE TABLE raw.quality_checks_log (
    id          bigserial PRIMARY KEY,
    run_id      uuid,
    check_name  text        NOT NULL,
    status      text        NOT NULL,
    error_count bigint      NOT NULL DEFAULT 0,
    blocking    boolean     NOT NULL DEFAULT true,
    detail      text,
    checked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quality_checks_log_checked_idx ON raw.quality_checks_log (checked_at DESC);

CREATE TABLE raw.training_run_log (
    id               bigserial PRIMARY KEY,
    run_id           uuid        NOT NULL UNIQUE,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    status           text        NOT NULL,
    duration_seconds double precision,
    params           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    metrics          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    snapshot_md5     text,
    snapshot_rows    bigint,
    model_version    text,
    error            text
);
CREATE INDEX training_run_log_started_idx ON raw.training_run_log (started_at DESC);

CREATE TABLE raw.monitoring_metrics (
    period_type  text             NOT NULL,
    period_value text             NOT NULL,
    metric_name  text             NOT NULL,
    metric_value double precision,
    computed_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (period_type, period_value, metric_name)
);
CREATE INDEX monitoring_metrics_name_idx ON raw.monitoring_metrics (metric_name, period_type);

-- Pipeline runs -----------------------------------------------------------------------------------

CREATE TABLE reco.pipeline_runs (
    id           uuid        PRIMARY KEY,
    kind         text        NOT NULL,
    status       text        NOT NULL,
    trigger      text        NOT NULL,
    params       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    parent_id    uuid        REFERENCES reco.pipeline_runs (id),
    requested_at timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    heartbeat_at timestamptz,
    worker       text,
    counts       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    error        text
);
CREATE INDEX pipeline_runs_requested_idx ON reco.pipeline_runs (requested_at DESC);
CREATE INDEX pipeline_runs_kind_status_idx ON reco.pipeline_runs (kind, status, requested_at DESC);
-- At most one active ingestion and one active training across all instances: the database, not a
-- lock in one JVM, is what every instance shares.
CREATE UNIQUE INDEX pipeline_runs_one_active_idx ON reco.pipeline_runs (kind)
    WHERE status IN ('QUEUED', 'RUNNING') AND kind IN ('ingestion', 'training');

CREATE TABLE reco.pipeline_steps (
    run_id      uuid        NOT NULL REFERENCES reco.pipeline_runs (id) ON DELETE CASCADE,
    position    smallint    NOT NULL,
    step        text        NOT NULL,
    status      text        NOT NULL,
    blocking    boolean     NOT NULL DEFAULT true,
    started_at  timestamptz,
    finished_at timestamptz,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    error       text,
    PRIMARY KEY (run_id, position)
);

-- Built-in model registry: the same concepts as MLflow (runs with params, metrics and tags,
-- artifacts, registered model versions, aliases), used when no MLflow tracking URI is configured.

CREATE TABLE reco.registry_runs (
    run_id     text        PRIMARY KEY,
    experiment text        NOT NULL,
    run_name   text        NOT NULL,
    status     text        NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    ended_at   timestamptz,
    params     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    tags       jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX registry_runs_experiment_idx ON reco.registry_runs (experiment, started_at DESC);

CREATE TABLE reco.registry_metrics (
    run_id    text             NOT NULL REFERENCES reco.registry_runs (run_id) ON DELETE CASCADE,
    key       text             NOT NULL,
    value     double precision NOT NULL,
    step      bigint           NOT NULL DEFAULT 0,
    logged_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, key, step)
);

CREATE TABLE reco.registry_artifacts (
    run_id     text        NOT NULL REFERENCES reco.registry_runs (run_id) ON DELETE CASCADE,
    path       text        NOT NULL,
    size_bytes bigint      NOT NULL,
    md5        text        NOT NULL,
    content    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, path)
);

CREATE TABLE reco.registry_model_versions (
    model_name  text        NOT NULL,
    version     integer     NOT NULL,
    run_id      text        NOT NULL REFERENCES reco.registry_runs (run_id),
    source      text        NOT NULL,
    description text,
    tags        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, version)
);

CREATE TABLE reco.registry_aliases (
    model_name text        NOT NULL,
    alias      text        NOT NULL,
    version    integer     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, alias),
    FOREIGN KEY (model_name, version) REFERENCES reco.registry_model_versions (model_name, version)
);

-- Every promotion decision, automatic or manual, whichever registry holds the versions.
CREATE TABLE reco.promotion_decisions (
    id                 bigserial PRIMARY KEY,
    model_name         text        NOT NULL,
    challenger_version text,
    champion_version   text,
    challenger_score   double precision,
    champion_score     double precision,
    outcome            text        NOT NULL,
    reason             text        NOT NULL,
    actor              text        NOT NULL,
    decided_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX promotion_decisions_decided_idx ON reco.promotion_decisions (decided_at DESC);
