package org.recofilms.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.recofilms.platform.AdvisoryLock;
import org.recofilms.platform.DvcHash;
import org.recofilms.platform.MetricNames;
import org.recofilms.platform.RecoConfig;
import org.recofilms.snapshot.Codec;
import org.recofilms.snapshot.ModelArtifacts;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;
import org.recofilms.snapshot.RatingsSnapshot;
import org.recofilms.snapshot.ServingBundle;
import org.recofilms.snapshot.SnapshotException;
import org.recofilms.snapshot.SnapshotInfo;
import org.recofilms.snapshot.SnapshotRatings;
import org.recofilms.training.evaluation.FullRankingProtocol;
import org.recofilms.training.evaluation.SeedProtocol;
import org.recofilms.training.evaluation.UserMetricsFile;

/**
 * One training run: export the current ratings to the Parquet snapshot (or take a given snapshot, to
 * reproduce a run), train item-kNN and the Bayesian popularity from the snapshot only, evaluate with
 * the seed protocol and the full-ranking protocol, write the artifacts, and refresh
 * raw.item_neighbors and raw.movie_popularity. A failure at any step leaves the current artifacts
 * and tables as they were. One training at a time across instances (an advisory lock). Blocking:
 * call it off the event loop.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);

    private final AgroalDataSource dataSource;
    private final TrainingRunLog runLog;
    private final ModelTables tables;
    private final RecoConfig config;
    private final MeterRegistry metrics;
    private final ObjectMapper json;
    private final AtomicReference<Double> progress = new AtomicReference<>(1.0);
    private final AtomicLong lastSuccess = new AtomicLong();

    public TrainingService(
            AgroalDataSource dataSource,
            TrainingRunLog runLog,
            ModelTables tables,
            RecoConfig config,
            MeterRegistry metrics,
            ObjectMapper json) {
        this.dataSource = dataSource;
        this.runLog = runLog;
        this.tables = tables;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        Gauge.builder(MetricNames.TRAINING_PROGRESS, progress, AtomicReference::get)
                .description("share of the current training phase done")
                .register(metrics);
        Gauge.builder(MetricNames.TRAINING_LAST_SUCCESS, lastSuccess, AtomicLong::get)
                .description("epoch seconds of the last successful training")
                .register(metrics);
    }

    /** The model parameters from configuration. */
    public ItemKnnParams params() {
        RecoConfig.Training t = config.training();
        ItemKnnParams p = ItemKnnParams.seed()
                .withMinRatings(t.minRatings())
                .withKNeighbors(t.kNeighbors())
                .withShrinkage(t.shrinkage())
                .withMinCoRatings(t.minCoRatings())
                .withParallelism(t.parallelism());
        return t.positiveThreshold() > 0
                ? p.withPositiveOnly((float) t.positiveThreshold(), ItemKnnParams.PositiveValue.ONE)
                : p;
    }

    /** The snapshot file: data/training_set.parquet. */
    public Path snapshotFile() {
        return Path.of(config.data().dir()).resolve("training_set.parquet");
    }

    /** Trains from a fresh snapshot of the current ratings. */
    public TrainingResult train(UUID runId) {
        return train(runId, TrainingListener.NONE);
    }

    /** Trains from a fresh snapshot of the current ratings, telling {@code listener} when the snapshot is ready. */
    public TrainingResult train(UUID runId, TrainingListener listener) {
        return train(runId, Optional.empty(), params(), listener);
    }

    /**
     * Trains with {@code params}, from {@code snapshot} when given (a run reproduced from its
     * snapshot), else from a fresh export of the current ratings.
     */
    public TrainingResult train(UUID runId, Optional<Path> snapshot, ItemKnnParams params) {
        return train(runId, snapshot, params, TrainingListener.NONE);
    }

    /** As {@link #train(UUID, Optional, ItemKnnParams)}, telling {@code listener} when the snapshot is ready. */
    public TrainingResult train(UUID runId, Optional<Path> snapshot, ItemKnnParams params, TrainingListener listener) {
        long t0 = System.nanoTime();
        try (AdvisoryLock lock = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.TRAINING)
                .orElseThrow(() -> new TrainingException("another training is running"))) {
            int interrupted = runLog.markInterrupted();
            if (interrupted > 0) {
                LOG.warnf("%d earlier training run(s) had been interrupted; marked FAILED", interrupted);
            }
            Map<String, Object> paramMap = paramMap(params);
            runLog.start(runId, paramMap);
            TrainingResult result = run(runId, snapshot, params, paramMap, listener, t0);
            runLog.finish(result);
            String status = result.status() == TrainingResult.Status.SUCCESS ? "success" : "failed";
            Timer.builder(MetricNames.TRAINING_DURATION)
                    .tag("status", status)
                    .register(metrics)
                    .record(Duration.ofMillis((long) (result.durationSeconds() * 1000)));
            if (result.status() == TrainingResult.Status.SUCCESS) {
                lastSuccess.set(Instant.now().getEpochSecond());
            }
            return result;
        } catch (SQLException e) {
            throw new TrainingException("database error: " + e.getMessage(), e);
        } finally {
            progress.set(1.0);
        }
    }

    private TrainingResult run(
            UUID runId,
            Optional<Path> givenSnapshot,
            ItemKnnParams params,
            Map<String, Object> paramMap,
            TrainingListener steps,
            long t0) {
        Map<String, Double> phases = new LinkedHashMap<>();
        Map<String, Double> results = new LinkedHashMap<>();
        TrainingResult.Builder result =
                TrainingResult.builder(runId).params(paramMap).metrics(results).phaseSeconds(phases);
        SnapshotInfo snapshot = null;
        try {
            String datasetMd5 = runLog.currentDatasetMd5().orElse(null);
            result.datasetMd5(datasetMd5);
            long t = System.nanoTime();
            if (givenSnapshot.isPresent()) {
                Path file = givenSnapshot.get();
                if (!Files.isRegularFile(file)) {
                    throw new SnapshotException("snapshot not found: " + file);
                }
                snapshot = new SnapshotInfo(file, -1, DvcHash.md5(file), Files.size(file), Duration.ZERO);
            } else {
                Files.createDirectories(snapshotFile().toAbsolutePath().getParent());
                try (Connection c = dataSource.getConnection()) {
                    snapshot = RatingsSnapshot.export(
                            c,
                            RatingsSnapshot.DEFAULT_QUERY,
                            snapshotFile(),
                            codec(),
                            (rows, rate) -> LOG.infof("training %s: snapshot %d rows, %.0f rows/s", runId, rows, rate));
                }
                phases.put("snapshot_export", seconds(t));
                // the snapshot is versioned like the raw data: data/training_set.parquet.dvc
                DvcHash.writeFilePointer(snapshot.path(), snapshot.md5());
            }
            steps.snapshotReady(snapshot, datasetMd5);

            t = System.nanoTime();
            SnapshotRatings read = RatingsSnapshot.read(snapshot.path());
            if (read.size() == 0) {
                throw new SnapshotException("snapshot " + snapshot.path() + " holds no ratings");
            }
            snapshot = new SnapshotInfo(
                    snapshot.path(), read.size(), snapshot.md5(), snapshot.bytes(), snapshot.elapsed());
            Ratings ratings = new Ratings(read.userId(), read.movieId(), read.rating());
            phases.put("snapshot_read", seconds(t));
            ProgressListener listener = new Reporting(runId);

            t = System.nanoTime();
            MoviePopularity popularity = BayesianPopularity.compute(ratings, listener);
            NeighborLists neighbors = new ItemKnnTrainer(params).train(ratings, listener);
            phases.put("training", seconds(t));
            LOG.infof(
                    "training %s: %d movies with neighbours, %d pairs, in %.1f s",
                    runId, neighbors.size(), neighbors.totalNeighbors(), phases.get("training"));

            t = System.nanoTime();
            SeedProtocol.Result seed = SeedProtocol.run(ratings, params, seedConfig(), listener);
            results.putAll(seed.metrics().asMap());
            phases.put("evaluation_seed", seconds(t));
            // the protocol trains its own model on the 80% split; evaluation proper is split + scoring
            phases.put("evaluation_seed_split_and_scoring", (seed.splitMillis() + seed.scoreMillis()) / 1000.0);
            FullRankingProtocol.Report full = null;
            if (config.training().fullRanking().enabled()) {
                t = System.nanoTime();
                full = FullRankingProtocol.run(
                        ratings,
                        params,
                        FullRankingProtocol.Config.from(config.training().fullRanking(), params.parallelism()),
                        listener);
                results.putAll(full.metrics());
                phases.put("evaluation_full", seconds(t));
                phases.put("evaluation_full_split_and_scoring", (full.splitMillis() + full.scoreMillis()) / 1000.0);
            }
            LOG.infof("training %s: metrics %s", runId, results);

            t = System.nanoTime();
            Path artifacts = Path.of(config.data().dir()).resolve("models").resolve(runId.toString());
            writeArtifacts(artifacts, neighbors, popularity, runId, paramMap, results, datasetMd5, snapshot);
            if (full != null) {
                // per-user test metrics, so that promotion can pair this model with the champion user by user
                UserMetricsFile.write(artifacts.resolve(UserMetricsFile.FILE), full.itemKnn());
            }
            tables.refresh(neighbors, popularity);
            phases.put("artifacts_and_tables", seconds(t));
            results.put("training_seconds", phases.get("training"));

            return result.snapshot(snapshot.md5(), snapshot.rows())
                    .durationSeconds(seconds(t0))
                    .succeeded(artifacts, neighbors.size(), neighbors.totalNeighbors());
        } catch (SnapshotException | TrainingException e) {
            return failed(runId, result, snapshot, t0, e.getMessage());
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.debug("training failure", e);
            return failed(runId, result, snapshot, t0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private TrainingResult failed(
            UUID runId, TrainingResult.Builder result, SnapshotInfo snapshot, long t0, String message) {
        LOG.errorf("training %s failed; the current model and tables are unchanged: %s", runId, message);
        if (snapshot != null) {
            result.snapshot(snapshot.md5(), snapshot.rows());
        }
        return result.durationSeconds(seconds(t0)).failed(message);
    }

    private void writeArtifacts(
            Path dir,
            NeighborLists neighbors,
            MoviePopularity popularity,
            UUID runId,
            Map<String, Object> params,
            Map<String, Double> metrics,
            String datasetMd5,
            SnapshotInfo snapshot)
            throws IOException {
        Files.createDirectories(dir);
        NeighborArrays neighborArrays = neighbors.arrays();
        ModelArtifacts.writeNeighbors(dir.resolve(ModelArtifacts.NEIGHBORS_FILE), neighborArrays);
        PopularityArrays popularityArrays = popularity.arrays();
        ModelArtifacts.writePopularity(dir.resolve(ModelArtifacts.POPULARITY_FILE), popularityArrays);
        ServingBundle.write(dir.resolve(ServingBundle.FILE), neighborArrays, popularityArrays);
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("model", "item_cf");
        descriptor.put("run_id", runId.toString());
        descriptor.put("created_at", Instant.now().toString());
        descriptor.put("distance", "cosine");
        descriptor.put("params", params);
        descriptor.put("metrics", metrics);
        descriptor.put("dataset_md5", datasetMd5);
        descriptor.put("snapshot_md5", snapshot.md5());
        descriptor.put("snapshot_rows", snapshot.rows());
        descriptor.put(
                "files",
                Map.of(
                        "neighbors",
                        ModelArtifacts.NEIGHBORS_FILE,
                        "popularity",
                        ModelArtifacts.POPULARITY_FILE,
                        "serving",
                        ServingBundle.FILE));
        Files.writeString(
                dir.resolve("model.json"),
                json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(descriptor));
    }

    private Map<String, Object> paramMap(ItemKnnParams p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k_neighbors", p.kNeighbors());
        m.put("min_ratings", p.minRatings());
        m.put("distance", "cosine");
        m.put("shrinkage", p.shrinkage());
        m.put("min_co_ratings", p.minCoRatings());
        m.put("positive_threshold", p.positiveThreshold());
        m.put("positive_value", p.positiveValue().name().toLowerCase());
        m.put("eval_seed_users", config.training().seedUsers());
        return m;
    }

    private SeedProtocol.Config seedConfig() {
        SeedProtocol.Config d = SeedProtocol.Config.seed();
        return new SeedProtocol.Config(
                d.testSize(), d.randomState(), config.training().seedUsers(), d.k());
    }

    private Codec codec() {
        return Codec.valueOf(config.training().snapshotCodec().toUpperCase());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Progress of the trainer and evaluators as log lines (phase, done, total, rate) and a gauge. */
    private final class Reporting implements ProgressListener {
        private final UUID runId;
        private TrainingPhase phase;
        private long phaseStart;

        Reporting(UUID runId) {
            this.runId = runId;
        }

        @Override
        public void onProgress(TrainingPhase phase, long done, long total) {
            if (phase != this.phase) {
                this.phase = phase;
                this.phaseStart = System.nanoTime();
            }
            double share = total > 0 ? (double) done / total : 1;
            progress.set(share);
            double rate = done / Math.max(seconds(phaseStart), 1e-3);
            LOG.infof("training %s: %s %d of %d (%.0f%%), %.0f/s", runId, phase, done, total, 100 * share, rate);
        }

        @Override
        public long intervalMillis() {
            return config.ingestion().progressInterval().toMillis();
        }
    }
}
