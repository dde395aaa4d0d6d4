package org.recofilms.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Optional;

/** Every setting of reco-films, under the prefix {@code reco}. Connection settings live in Quarkus's own keys. */
@ConfigMapping(prefix = "reco")
public interface RecoConfig {

    /** What this instance runs: all (default), api or worker; see {@link Role} and RoleConfigSourceFactory. */
    @WithDefault("all")
    Role role();

    /** Where datasets, snapshots and artifacts are kept on disk. */
    Data data();

    /** MLflow tracking and registry. */
    Mlflow mlflow();

    /** Who may trigger pipelines and promote models. */
    Security security();

    /** Readiness of the parts the app depends on. */
    Readiness readiness();

    /** Bounds of the connections that serve requests: the reactive pool's and the JDBC request paths'. */
    Database database();

    /** Loading MovieLens into PostgreSQL. */
    Ingestion ingestion();

    /** Dataset versioning with DVC. */
    Dvc dvc();

    /** Item-kNN training and its evaluation. */
    Training training();

    /** Parameter searches (the tuning pipeline and the tune command). */
    Tuning tuning();

    /** Model registry and promotion. */
    Registry registry();

    /** How a challenger is compared with the champion. */
    Promotion promotion();

    /** The recommendation API. */
    Serving serving();

    /** The web demo served at /. */
    Ui ui();

    /** Pipeline runs: triggers, workers, the daily chain. */
    Pipeline pipeline();

    /** Data KPIs and drift. */
    Monitoring monitoring();

    /** Running under the local launcher. */
    Local local();

    interface Local {
        /** Pid of the process that started this app (the local launcher); the app stops when it is gone. */
        Optional<Long> parentPid();

        /** How often the app checks that its parent process is alive. */
        @WithDefault("1s")
        Duration parentCheckInterval();
    }

    /** Limits of the HTTP API, answered as JSON errors (HttpContract). */
    Http http();

    interface Http {
        /** Longest request URI (path and query) in characters; a longer one is a 414. */
        @WithDefault("8192")
        int maxUriLength();

        /** Largest request body in bytes; a larger one is a 413. */
        @WithDefault("1048576")
        long maxBodySize();
    }

    /** The parts of the platform one instance runs. */
    enum Role {
        /** Everything in one process: the local default. */
        ALL,
        /** HTTP and the model events; no pipeline worker, no scheduler. */
        API,
        /** The pipeline worker and the scheduler; over HTTP only health and metrics. */
        WORKER
    }

    interface Data {
        /** Root folder for raw data, snapshots and model artifacts (versioned by DVC, ignored by git). */
        @WithDefault("data")
        String dir();
    }

    interface Mlflow {
        /** MLflow tracking URI (http or https); when absent the built-in PostgreSQL registry is used. */
        Optional<String> trackingUri();
    }

    interface Security {
        /** API key that operator endpoints expect in the X-API-Key header; when absent they are closed. */
        Optional<String> operatorApiKey();
    }

    interface Ingestion {
        /**
         * Where MovieLens comes from: an http(s) URL of the GroupLens zip, a local zip, or a local
         * directory holding the six CSV files.
         */
        @WithDefault("https://files.grouplens.org/datasets/movielens/ml-20m.zip")
        String source();

        /** Expected SHA-256 of a downloaded or local zip, checked when set. */
        Optional<String> sourceSha256();

        /** Expected size in bytes of a downloaded or local zip, checked when set. */
        Optional<Long> sourceSize();

        /** Download attempts before the run fails; waits double between attempts. */
        @WithDefault("5")
        int downloadAttempts();

        /** Wait before the second download attempt. */
        @WithDefault("2s")
        Duration downloadBackoff();

        /** Share of rejected lines in one file above which the run fails and nothing is swapped in. */
        @WithDefault("0.01")
        double maxRejectRatio();

        /** Largest relative change of a table's row count against the previous run that passes. */
        @WithDefault("0.5")
        double rowCountTolerance();

        /** Rejected lines kept with their content in raw.ingestion_rejects per run (all are counted). */
        @WithDefault("10000")
        int storedRejects();

        /** How often long work logs its progress. */
        @WithDefault("5s")
        Duration progressInterval();
    }

    interface Training {
        /** Neighbours kept per movie. */
        @WithDefault("20")
        int kNeighbors();

        /** Movies with fewer ratings get no neighbours (they stay in the popularity list). */
        @WithDefault("50")
        int minRatings();

        /** Similarity shrinkage: sim * co / (co + shrinkage); 0 is the seed's plain cosine. */
        @WithDefault("0")
        double shrinkage();

        /** Pairs of movies co-rated by fewer users are not neighbours; 0 keeps every pair. */
        @WithDefault("0")
        int minCoRatings();

        /** When above 0, only ratings at or above it enter the matrix, as 1; 0 is the seed's raw ratings. */
        @WithDefault("0")
        double positiveThreshold();

        /** Threads for the similarity phase and evaluation; 0 means one per core. */
        @WithDefault("0")
        int parallelism();

        /** Test users of the seed's evaluation protocol. */
        @WithDefault("1000")
        int seedUsers();

        /** The full-ranking protocol (Liang et al.'s split) run after each training. */
        FullRanking fullRanking();

        /** Compression of data/training_set.parquet: zstd or snappy. */
        @WithDefault("zstd")
        String snapshotCodec();

        /** Family trained when a request names none: itemknn, rp3beta, ease or ials. */
        @WithDefault("itemknn")
        String family();

        /** Defaults of the rp3beta family. */
        Rp3beta rp3beta();

        /** Defaults of the ease family. */
        Ease ease();

        /** Defaults of the ials family. */
        Ials ials();

        interface Rp3beta {
            /** Exponent of both transition probabilities. */
            @WithDefault("1.0")
            double alpha();

            /** Popularity penalty: weights divided by the target's degree to this power. */
            @WithDefault("0.6")
            double beta();

            /** Weights kept per movie. */
            @WithDefault("100")
            int topK();

            /** Movies with fewer rating rows are left out. */
            @WithDefault("1")
            int minRatings();

            /** When above 0, only ratings at or above it are interactions. */
            @WithDefault("0")
            double positiveThreshold();

            /** L1-normalise each movie's kept weights. */
            @WithDefault("false")
            boolean normalizeSimilarity();
        }

        interface Ease {
            /** L2 regularisation added to the Gram matrix's diagonal. */
            @WithDefault("500")
            double l2();

            /** Weights kept per movie for serving. */
            @WithDefault("100")
            int topK();

            /** Movies with fewer rating rows are left out (bounds the dense items x items matrix). */
            @WithDefault("50")
            int minRatings();

            /** When above 0, only ratings at or above it are interactions. */
            @WithDefault("0")
            double positiveThreshold();
        }

        interface Ials {
            /** Latent dimensions. */
            @WithDefault("64")
            int factors();

            /** L2 weight on both factor matrices. */
            @WithDefault("0.1")
            double regularization();

            /** Weight of the unobserved cells (1: Hu et al.). */
            @WithDefault("1")
            double unobservedWeight();

            /** Confidence of an observed cell is 1 + alpha. */
            @WithDefault("10")
            double alpha();

            /** Alternating sweeps. */
            @WithDefault("15")
            int iterations();

            /** Conjugate-gradient steps per row and sweep; 0 solves each row exactly. */
            @WithDefault("3")
            int cgSteps();

            /** Movies with fewer rating rows are left out. */
            @WithDefault("1")
            int minRatings();

            /** When above 0, only ratings at or above it are interactions, in training and fold-in. */
            @WithDefault("0")
            double positiveThreshold();

            /** Seed of the initial factors. */
            @WithDefault("42")
            long randomSeed();
        }
    }

    interface FullRanking {
        /** reco.training.full-ranking: run the protocol after each training. */
        @WithParentName
        @WithDefault("true")
        boolean enabled();

        /** Test users; 0 is the rule max(proportional share, min(floor-share x users, floor-users)). */
        @WithDefault("0")
        int testUsers();

        /** Validation users, disjoint from the test users (tuning scores them); -1 is as many as test users. */
        @WithDefault("-1")
        int validationUsers();

        /** Share of the eligible users the sizing rule's floor takes. */
        @WithDefault("0.2")
        double floorShare();

        /** Cap of the sizing rule's floor. */
        @WithDefault("1000")
        int floorUsers();
    }

    interface Tuning {
        /** Most trials one tuning run may ask for (at most 100). */
        @WithDefault("100")
        int maxTrials();
    }

    interface Promotion {
        /**
         * Metric a challenger must beat the champion on: a full-ranking metric (full_ndcg_100,
         * full_recall_20_truncated, full_recall_20, full_recall_50_truncated) or seed_weighted (the seed's
         * weighted score with reco.registry.*-weight and min-gain).
         */
        @WithDefault("full_ndcg_100")
        String metric();

        /** A full-ranking gain promotes only above this many standard errors of the difference. */
        @WithDefault("2")
        double minStandardErrors();
    }

    interface Registry {
        /** Registered model name. */
        @WithDefault("reco-films-itemcf")
        String modelName();

        /** Experiment of the training runs. */
        @WithDefault("reco-films/itemcf")
        String experiment();

        /** Alias of the serving model. */
        @WithDefault("production")
        String alias();

        /** Weight of ndcg_10 in the promotion score. */
        @WithDefault("0.6")
        double ndcgWeight();

        /** Weight of precision_10 in the promotion score. */
        @WithDefault("0.3")
        double precisionWeight();

        /** Weight of recall_10 in the promotion score. */
        @WithDefault("0.1")
        double recallWeight();

        /** Smallest score gain over the champion that promotes a challenger. */
        @WithDefault("0")
        double minGain();
    }

    interface Ui {
        /** Grafana as a browser reaches it, linked from the web demo; absent hides the link. */
        Optional<String> grafanaUrl();

        /** MLflow's UI as a browser reaches it; absent means reco.mlflow.tracking-uri. */
        Optional<String> mlflowUrl();
    }

    interface Pipeline {
        /**
         * Quartz-style cron of the daily pipeline (seconds first); "off" disables the schedule
         * (tests do). Default 02:00 every day.
         */
        @WithDefault("0 0 2 * * ?")
        String dailyCron();

        /** How often a worker refreshes the heartbeat of each run it executes. */
        @WithDefault("10s")
        Duration heartbeatInterval();

        /** A RUNNING run whose heartbeat is older than this is marked FAILED (its worker died). */
        @WithDefault("60s")
        Duration lease();

        /** A QUEUED run that no worker claimed within this time is marked FAILED. */
        @WithDefault("30m")
        Duration queueTimeout();

        /** How often expired leases and stale queued runs are looked for. */
        @WithDefault("15s")
        Duration reaperInterval();

        /** How long a trigger waits for the broker to acknowledge its request before answering 503. */
        @WithDefault("10s")
        Duration publishTimeout();
    }

    interface Dvc {
        /** Run {@code dvc add} (and {@code dvc push} when push is on) after an ingestion. */
        @WithDefault("false")
        boolean enabled();

        /** Push the dataset to the default DVC remote after {@code dvc add}. */
        @WithDefault("false")
        boolean push();

        /** The dvc executable. */
        @WithDefault("dvc")
        String command();
    }

    interface Readiness {
        /** How long one readiness probe of PostgreSQL or Kafka may take before it counts as down. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * How long the database probe (a new connection and {@code SELECT 1}, never a pooled one) may
         * take: below {@link #timeout()}, so that a stalled PostgreSQL reads as down with its reason.
         */
        @WithDefault("1500ms")
        Duration databaseTimeout();
    }

    interface Database {
        /** How long a request waits for a free connection of the reactive pool before it fails. */
        @WithDefault("1s")
        Duration poolWait();

        /** Requests that may wait for a connection of the reactive pool at once; more fail at once. */
        @WithDefault("256")
        int maxWaitQueue();

        /** TCP connect timeout of the reactive pool's new connections. */
        @WithDefault("1s")
        Duration connectTimeout();

        /**
         * Socket read timeout of the JDBC calls that serve requests (pipeline triggers and run
         * lookups); the pipelines' own long JDBC work has none.
         */
        @WithDefault("2s")
        Duration jdbcRequestTimeout();
    }

    interface Serving {
        /** How often each instance checks whether an ingestion or a training changed the movie catalogue. */
        @WithDefault("10s")
        Duration catalogRefresh();

        /**
         * How long each database call of a request may take (a user's ratings, a rating's upsert, a
         * movie's facts): past it /recommend answers the popularity list (reason degraded) and the
         * other endpoints answer 503 database_unavailable.
         */
        @WithDefault("1s")
        Duration databaseTimeout();

        /**
         * Under an iALS model, a user with more ratings than this is recommended on a worker thread instead of
         * the event loop: the fold-in grows with the ratings (about 1 ms at 1,000), and a long one on an event
         * loop would hold every other connection of that loop behind it.
         */
        @WithDefault("200")
        int factorOffloadAbove();

        /** How long a rating submission waits for Kafka to acknowledge its RatingSubmitted record. */
        @WithDefault("5s")
        Duration publishTimeout();

        /** Every user's ratings in memory, which /recommend reads (serving.HistoryService). */
        Histories histories();
    }

    interface Histories {
        /**
         * Whether this instance holds the user histories: true for the roles that serve /recommend (api,
         * all), false for worker (RoleConfigSourceFactory).
         */
        @WithDefault("true")
        boolean enabled();

        /** How often raw.feedback_ratings is read for ratings newer than the last seen (the broker-down catch-up). */
        @WithDefault("3s")
        Duration catchUpPeriod();

        /** How far back each catch-up reads before its watermark: a commit that took longer is still seen. */
        @WithDefault("30s")
        Duration catchUpOverlap();

        /** How many ratings the overlay holds before it is merged into the arrays (also merged after each load). */
        @WithDefault("50000")
        int compactAt();

        /**
         * Whether a load may read the latest Parquet training snapshot (reco.data.dir/training_set.parquet) when
         * it is newer than the last ingestion, instead of a COPY from PostgreSQL (about 8 times faster at 20M).
         */
        @WithDefault("true")
        boolean snapshot();

        /**
         * How long before the snapshot file was written the catch-up after a snapshot load starts reading
         * feedback: more than the snapshot export takes (about 16 s at 20M ratings).
         */
        @WithDefault("10m")
        Duration snapshotMargin();

        /**
         * Whether each full load and compaction writes the arrays to reco.data.dir/histories.bin (in the
         * background) and a load reads that file first when it holds the latest successful ingestion, then the
         * feedback received since it was written.
         */
        @WithDefault("true")
        boolean localCopy();

        /** How often the load at start logs its progress. */
        @WithDefault("2s")
        Duration progressInterval();
    }

    interface Monitoring {
        /** PostgreSQL work_mem of the monitoring job's transaction (its hash aggregates over the ratings). */
        @WithDefault("256MB")
        String workMem();

        /** How often the PSI gauges are read again from raw.monitoring_metrics. */
        @WithDefault("60s")
        Duration psiRefresh();

        /**
         * Prometheus's base URL as the app reaches it (the launcher sets it when it runs one); read for
         * the Monitoring page's latency and request-rate charts and the firing alerts in /ready's
         * detail. Absent: neither is shown.
         */
        Optional<String> prometheusUrl();

        /** The bound of every call to Prometheus's query API; past it, Prometheus is "unavailable". */
        @WithDefault("2s")
        Duration prometheusTimeout();
    }
}
