package org.recofilms.ingestion;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.recofilms.platform.AdvisoryLock;
import org.recofilms.platform.DvcHash;
import org.recofilms.platform.MetricNames;
import org.recofilms.platform.RatingsReplaced;
import org.recofilms.platform.RecoConfig;

/**
 * One ingestion run, start to end: bring the source into the raw data directory, compute its DVC
 * version (an unchanged dataset is a recorded no-op), stream every file of its layout
 * ({@link MovieLensLayout}) into staging tables with COPY while rejecting bad lines, build the indexes, run the quality checks, and swap the staged
 * tables in atomically. Any failure leaves the live tables as they were. One ingestion at a time
 * across every instance (a PostgreSQL advisory lock). Blocking: call it off the event loop.
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);

    private final AgroalDataSource dataSource;
    private final IngestionRunLog runLog;
    private final RecoConfig config;
    private final MeterRegistry metrics;
    private final AtomicReference<Double> progressShare = new AtomicReference<>(1.0);
    private final AtomicReference<Double> rowsPerSecond = new AtomicReference<>(0.0);
    private final AtomicLong lastSuccess = new AtomicLong();

    private final Event<RatingsReplaced> ratingsReplaced;

    public IngestionService(
            AgroalDataSource dataSource,
            IngestionRunLog runLog,
            RecoConfig config,
            MeterRegistry metrics,
            Event<RatingsReplaced> ratingsReplaced) {
        this.ratingsReplaced = ratingsReplaced;
        this.dataSource = dataSource;
        this.runLog = runLog;
        this.config = config;
        this.metrics = metrics;
        Gauge.builder(MetricNames.INGESTION_PROGRESS, progressShare, AtomicReference::get)
                .description("share of the current ingestion's bytes read")
                .register(metrics);
        Gauge.builder(MetricNames.INGESTION_ROWS_PER_SECOND, rowsPerSecond, AtomicReference::get)
                .description("rows per second of the file being loaded")
                .register(metrics);
        Gauge.builder(MetricNames.INGESTION_LAST_SUCCESS, lastSuccess, AtomicLong::get)
                .description("epoch seconds of the last successful ingestion")
                .register(metrics);
    }

    /** The raw data directory: the files of the current dataset, as its release lays them out, versioned by DVC. */
    public Path rawDir() {
        return Path.of(config.data().dir()).resolve("raw");
    }

    /**
     * The DVC pointer of the raw data directory: {@code data.dvc} beside the data folder (the
     * repository's own pointer when the data folder is the default {@code data}), with
     * {@code path: data/raw}. The snapshot and artifacts beside raw/ get pointers of their own.
     */
    public Path pointerFile() {
        Path data = Path.of(config.data().dir()).toAbsolutePath().normalize();
        return data.resolveSibling(data.getFileName() + ".dvc");
    }

    /** Ingests the configured source. */
    public IngestionResult ingest(UUID runId) {
        return ingest(runId, config.ingestion().source(), LoadProgress.NONE);
    }

    /** Ingests {@code source} (URL, zip or directory); {@code listener} hears progress and phases. */
    public IngestionResult ingest(UUID runId, String source, LoadProgress listener) {
        long t0 = System.nanoTime();
        progressShare.set(0.0);
        try (AdvisoryLock lock = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.INGESTION)
                .orElseThrow(() -> new IngestionException("another ingestion is running"))) {
            int interrupted = runLog.markInterrupted();
            if (interrupted > 0) {
                LOG.warnf("%d earlier ingestion run(s) had been interrupted; marked FAILED", interrupted);
            }
            runLog.start(runId, source);
            IngestionResult result = run(runId, source, listener, t0);
            runLog.finish(result);
            record(result);
            if (result.status() == IngestionResult.Status.SUCCESS && !result.noOp()) {
                ratingsReplaced.fire(new RatingsReplaced(Instant.now()));
            }
            return result;
        } catch (SQLException e) {
            throw new IngestionException("database error: " + e.getMessage(), e);
        } finally {
            progressShare.set(1.0);
            rowsPerSecond.set(0.0);
        }
    }

    private IngestionResult run(UUID runId, String source, LoadProgress listener, long t0) {
        StagingTables staging = new StagingTables(dataSource);
        RejectLog rejects = new RejectLog(config.ingestion().storedRejects());
        Map<String, Long> injected = new LinkedHashMap<>();
        Map<String, Double> phaseSeconds = new LinkedHashMap<>();
        List<QualityCheck> checks = new ArrayList<>();
        String datasetMd5 = null;
        try {
            listener.phase("source");
            Path rawDir = rawDir();
            MovieLensSource.materialize(
                    source,
                    rawDir,
                    Path.of(config.data().dir()).resolve("downloads"),
                    new MovieLensSource.Expectation(
                            config.ingestion().sourceSha256(),
                            config.ingestion().sourceSize()),
                    new MovieLensSource.Download(
                            config.ingestion().downloadAttempts(),
                            config.ingestion().downloadBackoff(),
                            config.ingestion().progressInterval()));
            DvcHash.DirVersion version = DvcHash.directory(rawDir);
            phaseSeconds.put("source_and_version", seconds(t0));
            datasetMd5 = version.md5();
            Optional<IngestionRunLog.LastSuccess> last = runLog.lastSuccess();
            if (last.isPresent() && datasetMd5.equals(last.get().datasetMd5())) {
                LOG.infof(
                        "ingestion %s: dataset %s unchanged since run %s: nothing to do",
                        runId, datasetMd5, last.get().runId());
                return IngestionResult.builder(runId)
                        .datasetMd5(datasetMd5)
                        .rowsTotal(last.get().rowsTotal())
                        .phaseSeconds(phaseSeconds)
                        .durationSeconds(seconds(t0))
                        .unchanged();
            }
            LOG.infof(
                    "ingestion %s: dataset %s (%d files, %d bytes) from %s",
                    runId, datasetMd5, version.nfiles(), version.size(), source);

            listener.phase("staging");
            staging.create();
            LoadProgress progress = new Reporting(listener, runId);
            try (Connection c = dataSource.getConnection()) {
                MovieLensLoader loader = new MovieLensLoader(
                        c, rawDir, rejects, progress, config.ingestion().progressInterval());
                MovieLensLayout layout = MovieLensLayout.of(rawDir);
                LOG.infof("ingestion %s: layout %s", runId, layout.description());
                for (String table : StagingTables.TABLES) {
                    Optional<String> fileOfTable = layout.fileFor(table);
                    if (fileOfTable.isEmpty()) {
                        // this release has no such file: the table is swapped in empty
                        staging.startIndexes(table, rejects);
                        injected.put(table, 0L);
                        continue;
                    }
                    String file = fileOfTable.get();
                    long fileStart = System.nanoTime();
                    StagedFile staged = loader.load(file);
                    phaseSeconds.put(file, seconds(fileStart));
                    staging.startIndexes(table, rejects);
                    injected.put(table, staged.rows());
                    metrics.counter(MetricNames.INGESTION_ROWS, "file", file).increment(staged.rows());
                    LOG.infof(
                            "ingestion %s: %s staged: %d rows, %d rejected, %.0f rows/s",
                            runId,
                            file,
                            staged.rows(),
                            staged.rejected(),
                            staged.rows() / Math.max(seconds(fileStart), 1e-3));
                    if (staged.rejectRatio() > config.ingestion().maxRejectRatio()) {
                        throw new IngestionException(String.format(
                                "too many rejected lines in %s: %d of %d (%.2f%%, limit %.2f%%), by kind %s",
                                file,
                                staged.rejected(),
                                staged.lines(),
                                100 * staged.rejectRatio(),
                                100 * config.ingestion().maxRejectRatio(),
                                rejects.counts().getOrDefault(file, Map.of())));
                    }
                }
            }

            long phaseStart = System.nanoTime();
            listener.phase("indexes");
            staging.awaitIndexes();
            phaseSeconds.put("indexes", seconds(phaseStart));
            Map<String, Long> counts = staging.stagedCounts();
            // rows removed as duplicates by the index build are no longer injected
            counts.forEach(injected::put);

            phaseStart = System.nanoTime();
            listener.phase("checks");
            try (Connection c = dataSource.getConnection()) {
                checks.addAll(QualityChecks.run(
                        c,
                        "raw_stage",
                        counts,
                        last.map(IngestionRunLog.LastSuccess::rowsTotal).orElse(Map.of()),
                        config.ingestion().rowCountTolerance()));
            }
            runLog.writeChecks(runId, checks);
            phaseSeconds.put("checks", seconds(phaseStart));
            List<QualityCheck> failed =
                    checks.stream().filter(QualityCheck::failedBlocking).toList();
            if (!failed.isEmpty()) {
                throw new IngestionException("blocking quality check failed: "
                        + failed.stream()
                                .map(q -> q.name() + " (" + q.errorCount() + ": " + q.detail() + ")")
                                .toList());
            }

            phaseStart = System.nanoTime();
            listener.phase("swap");
            staging.swap();
            phaseSeconds.put("swap", seconds(phaseStart));
            try {
                Dvc.commitAndPush(config.dvc(), DvcHash.writePointer(pointerFile(), rawDir, version));
            } catch (IOException | IngestionException e) {
                // the data is live and its version recorded; only the DVC bookkeeping is behind
                LOG.warnf("ingestion %s: DVC pointer not updated: %s", runId, e.getMessage());
            }
            LOG.infof("ingestion %s: swapped in %s in %.1f s", runId, counts, seconds(t0));
            return IngestionResult.builder(runId)
                    .datasetMd5(datasetMd5)
                    .rowsInjected(injected)
                    .rowsTotal(counts)
                    .rejected(rejects.counts())
                    .checks(checks)
                    .phaseSeconds(phaseSeconds)
                    .durationSeconds(seconds(t0))
                    .succeeded();
        } catch (IOException | SQLException | RuntimeException e) {
            String message = e instanceof IngestionException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf("ingestion %s failed, the live tables are unchanged: %s", runId, message);
            if (!(e instanceof IngestionException)) {
                LOG.debug("ingestion failure", e);
            }
            staging.drop();
            return IngestionResult.builder(runId)
                    .datasetMd5(datasetMd5)
                    .rowsInjected(injected)
                    .rowsTotal(liveCounts())
                    .rejected(rejects.counts())
                    .checks(checks)
                    .phaseSeconds(phaseSeconds)
                    .durationSeconds(seconds(t0))
                    .failed(message);
        } finally {
            try {
                if (!rejects.stored().isEmpty()) {
                    runLog.writeRejects(runId, rejects.stored());
                }
            } catch (SQLException e) {
                LOG.warnf("could not store the rejected lines: %s", e.getMessage());
            }
            rejects.counts()
                    .forEach((file, byKind) -> byKind.forEach(
                            (kind, n) -> metrics.counter(MetricNames.INGESTION_REJECTS, "file", file, "kind", kind)
                                    .increment(n)));
        }
    }

    private Map<String, Long> liveCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : StagingTables.TABLES) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM raw." + table);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            LOG.warnf("could not count the live tables: %s", e.getMessage());
        }
        return counts;
    }

    private void record(IngestionResult result) {
        String status =
                result.status() == IngestionResult.Status.FAILED ? "failed" : result.noOp() ? "no_op" : "success";
        Timer.builder(MetricNames.INGESTION_DURATION)
                .tag("status", status)
                .register(metrics)
                .record(Duration.ofMillis((long) (result.durationSeconds() * 1000)));
        if (result.status() == IngestionResult.Status.SUCCESS) {
            lastSuccess.set(System.currentTimeMillis() / 1000);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Logs a progress line every interval (file, rows, rows/s, ETA) and feeds the gauges. */
    private final class Reporting implements LoadProgress {
        private final LoadProgress delegate;
        private final UUID runId;
        private String file;
        private long fileStart;

        Reporting(LoadProgress delegate, UUID runId) {
            this.delegate = delegate;
            this.runId = runId;
        }

        @Override
        public void progress(String file, long rows, long bytesRead, long bytesTotal) {
            if (!file.equals(this.file)) {
                this.file = file;
                this.fileStart = System.nanoTime();
            }
            double elapsed = Math.max(seconds(fileStart), 1e-3);
            double rate = rows / elapsed;
            double share = bytesTotal > 0 ? (double) bytesRead / bytesTotal : 0;
            double eta = share > 0 ? elapsed * (1 - share) / share : Double.NaN;
            progressShare.set(share);
            rowsPerSecond.set(rate);
            LOG.infof(
                    "ingestion %s: %s %d rows, %.0f rows/s, %.0f%% read, ETA %.0f s",
                    runId, file, rows, rate, 100 * share, eta);
            delegate.progress(file, rows, bytesRead, bytesTotal);
        }

        @Override
        public void fileStaged(String file, long rows, long rejected) {
            this.file = null;
            delegate.fileStaged(file, rows, rejected);
        }

        @Override
        public void phase(String phase) {
            delegate.phase(phase);
        }
    }
}
