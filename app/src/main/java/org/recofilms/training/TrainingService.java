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
import org.recofilms.snapshot.FactorBundle;
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
 * reproduce a run), train the requested family ({@link ModelSpec}: item-kNN by default) and the Bayesian
 * popularity from the snapshot only, evaluate with the seed protocol and the full-ranking protocol, write the
 * artifacts, and refresh raw.movie_popularity and, for the item-item families, raw.item_neighbors (an iALS
 * run leaves raw.item_neighbors as it was: it has no neighbour lists). A failure at any step leaves the current artifacts
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
    private final TrainingRequests requests;
    private final AtomicReference<Double> progress = new AtomicReference<>(1.0);
    private final AtomicLong lastSuccess = new AtomicLong();

    public TrainingService(
            AgroalDataSource dataSource,
            TrainingRunLog runLog,
            ModelTables tables,
            RecoConfig config,
            MeterRegistry metrics,
            ObjectMapper json,
            TrainingRequests requests) {
        this.dataSource = dataSource;
        this.runLog = runLog;
        this.tables = tables;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.requests = requests;
        Gauge.builder(MetricNames.TRAINING_PROGRESS, progress, AtomicReference::get)
                .description("share of the current training phase done")
                .register(metrics);
        Gauge.builder(MetricNames.TRAINING_LAST_SUCCESS, lastSuccess, AtomicLong::get)
                .description("epoch seconds of the last successful training")
                .register(metrics);
    }

    /** The configured model: {@code reco.training.family} with its configured parameters. */
    public ModelSpec spec() {
        return requests.resolve(requests.defaults());
    }

    /** The item-kNN parameters from configuration. */
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
        return train(runId, Optional.empty(), spec(), listener);
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
        return train(runId, snapshot, new ModelSpec.ItemKnn(params), listener);
    }

    /**
     * Trains {@code spec}, from {@code snapshot} when given, else from a fresh export of the current ratings,
     * telling {@code listener} when the snapshot is ready.
     */
    public TrainingResult train(UUID runId, Optional<Path> snapshot, ModelSpec spec, TrainingListener listener) {
        long t0 = System.nanoTime();
        try (AdvisoryLock lock = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.TRAINING)
                .orElseThrow(() -> new TrainingException("another training is running"))) {
            int interrupted = runLog.markInterrupted();
            if (interrupted > 0) {
                LOG.warnf("%d earlier training run(s) had been interrupted; marked FAILED", interrupted);
            }
            Map<String, Object> paramMap = spec.paramMap();
            paramMap.put("eval_seed_users", config.training().seedUsers());
            runLog.start(runId, paramMap);
            TrainingResult result = run(runId, snapshot, spec, paramMap, listener, t0);
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
            ModelSpec spec,
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
                snapshot = given(givenSnapshot.get());
            } else {
                snapshot = exportSnapshot(runId);
                phases.put("snapshot_export", seconds(t));
            }
            steps.snapshotReady(snapshot, datasetMd5);

            t = System.nanoTime();
            SnapshotRatings read = readSnapshot(snapshot.path());
            snapshot = new SnapshotInfo(
                    snapshot.path(), read.size(), snapshot.md5(), snapshot.bytes(), snapshot.elapsed());
            Ratings ratings = new Ratings(read.userId(), read.movieId(), read.rating());
            phases.put("snapshot_read", seconds(t));
            ProgressListener listener = new Reporting(runId);

            t = System.nanoTime();
            MoviePopularity popularity = BayesianPopularity.compute(ratings, listener);
            TrainedModel model = TrainedModel.train(spec, ratings, listener);
            phases.put("training", seconds(t));
            LOG.infof(
                    "training %s: %s, %d movies, %d neighbour pairs, in %.1f s",
                    runId, spec.family().id(), model.movies(), model.pairs(), phases.get("training"));

            t = System.nanoTime();
            // the protocol filters by min_ratings itself, then trains on its 80% split
            ModelSpec onSplit = spec.withMinRatings(0);
            SeedProtocol.Result seed = SeedProtocol.run(
                    ratings,
                    spec.minRatings(),
                    (train, l) -> TrainedModel.train(onSplit, train, l).seedModel(),
                    seedConfig(),
                    listener);
            results.putAll(seed.metrics().asMap());
            phases.put("evaluation_seed", seconds(t));
            // the protocol trains its own model on the 80% split; evaluation proper is split + scoring
            phases.put("evaluation_seed_split_and_scoring", (seed.splitMillis() + seed.scoreMillis()) / 1000.0);
            FullRankingProtocol.Report full = null;
            if (config.training().fullRanking().enabled()) {
                t = System.nanoTime();
                full = FamilyEvaluation.fullRanking(
                        ratings,
                        spec,
                        FullRankingProtocol.Config.from(config.training().fullRanking(), spec.parallelism()),
                        FullRankingProtocol.Users.TEST,
                        listener);
                results.putAll(full.metrics());
                phases.put("evaluation_full", seconds(t));
                phases.put("evaluation_full_split_and_scoring", (full.splitMillis() + full.scoreMillis()) / 1000.0);
            }
            results.put("catalogue_share", FamilyEvaluation.catalogueShare(model, ratings));
            LOG.infof("training %s: metrics %s", runId, results);

            t = System.nanoTime();
            Path artifacts = Path.of(config.data().dir()).resolve("models").resolve(runId.toString());
            writeArtifacts(artifacts, spec, model, popularity, runId, paramMap, results, datasetMd5, snapshot);
            if (full != null) {
                // per-user test metrics, so that promotion can pair this model with the champion user by user
                UserMetricsFile.write(artifacts.resolve(UserMetricsFile.FILE), full.itemKnn());
            }
            tables.refresh(model instanceof TrainedModel.ItemItem item ? item.lists() : null, popularity);
            phases.put("artifacts_and_tables", seconds(t));
            results.put("training_seconds", phases.get("training"));

            return result.snapshot(snapshot.md5(), snapshot.rows())
                    .durationSeconds(seconds(t0))
                    .succeeded(artifacts, model.movies(), model.pairs());
        } catch (SnapshotException | TrainingException e) {
            return failed(runId, result, snapshot, t0, e.getMessage());
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.debug("training failure", e);
            return failed(runId, result, snapshot, t0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A snapshot given by path (a run reproduced from its snapshot, or the one a tuning run searched on). */
    static SnapshotInfo given(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SnapshotException("snapshot not found: " + file);
        }
        return new SnapshotInfo(file, -1, DvcHash.md5(file), Files.size(file), Duration.ZERO);
    }

    /**
     * Exports the current ratings to {@link #snapshotFile()} with its DVC pointer (the snapshot is versioned like
     * the raw data: data/training_set.parquet.dvc).
     */
    SnapshotInfo exportSnapshot(UUID runId) throws IOException, SQLException {
        Files.createDirectories(snapshotFile().toAbsolutePath().getParent());
        SnapshotInfo snapshot;
        try (Connection c = dataSource.getConnection()) {
            snapshot = RatingsSnapshot.export(
                    c,
                    RatingsSnapshot.DEFAULT_QUERY,
                    snapshotFile(),
                    codec(),
                    (rows, rate) -> LOG.infof("training %s: snapshot %d rows, %.0f rows/s", runId, rows, rate));
        }
        DvcHash.writeFilePointer(snapshot.path(), snapshot.md5());
        return snapshot;
    }

    /** The snapshot's ratings; a snapshot with none is refused. */
    static SnapshotRatings readSnapshot(Path file) {
        SnapshotRatings read = RatingsSnapshot.read(file);
        if (read.size() == 0) {
            throw new SnapshotException("snapshot " + file + " holds no ratings");
        }
        return read;
    }

    /** The current dataset's md5, as the runs record it; null when nothing was ingested. */
    String currentDatasetMd5() throws SQLException {
        return runLog.currentDatasetMd5().orElse(null);
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
            ModelSpec spec,
            TrainedModel model,
            MoviePopularity popularity,
            UUID runId,
            Map<String, Object> params,
            Map<String, Double> metrics,
            String datasetMd5,
            SnapshotInfo snapshot)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>();
        NeighborArrays neighborArrays;
        if (model instanceof TrainedModel.ItemItem item) {
            neighborArrays = item.lists().arrays();
            ModelArtifacts.writeNeighbors(dir.resolve(ModelArtifacts.NEIGHBORS_FILE), neighborArrays);
            files.put("neighbors", ModelArtifacts.NEIGHBORS_FILE);
        } else {
            // serving.bin then holds the popularity list alone; the factors have a file of their own
            neighborArrays = new NeighborArrays(new int[0], new int[] {0}, new int[0], new float[0]);
            FactorBundle.write(dir.resolve(FactorBundle.FILE), ((TrainedModel.Factors) model).arrays());
            files.put("factors", FactorBundle.FILE);
        }
        PopularityArrays popularityArrays = popularity.arrays();
        ModelArtifacts.writePopularity(dir.resolve(ModelArtifacts.POPULARITY_FILE), popularityArrays);
        ServingBundle.write(dir.resolve(ServingBundle.FILE), neighborArrays, popularityArrays);
        files.put("popularity", ModelArtifacts.POPULARITY_FILE);
        files.put("serving", ServingBundle.FILE);
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("model", spec.family().itemItem() ? "item_cf" : "matrix_factorization");
        descriptor.put("family", spec.family().id());
        descriptor.put("run_id", runId.toString());
        descriptor.put("created_at", Instant.now().toString());
        if (spec.family() == ModelFamily.ITEMKNN) {
            descriptor.put("distance", "cosine");
        }
        descriptor.put("params", params);
        descriptor.put("metrics", metrics);
        descriptor.put("dataset_md5", datasetMd5);
        descriptor.put("snapshot_md5", snapshot.md5());
        descriptor.put("snapshot_rows", snapshot.rows());
        descriptor.put("files", files);
        Files.writeString(
                dir.resolve("model.json"),
                json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(descriptor));
    }

    private SeedProtocol.Config seedConfig() {
        SeedProtocol.Config d = SeedProtocol.Config.seed();
        return new SeedProtocol.Config(
                d.testSize(), d.randomState(), config.training().seedUsers(), d.k());
    }

    private Codec codec() {
        return Codec.valueOf(config.training().snapshotCodec().toUpperCase());
    }

    /** Progress of a trainer or evaluator working for run {@code runId}: log lines and the progress gauge. */
    ProgressListener reporting(UUID runId) {
        return new Reporting(runId);
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
