package org.recofilms.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.recofilms.platform.MetricNames;
import org.recofilms.platform.RatingsReplaced;
import org.recofilms.platform.RecoConfig;
import org.recofilms.snapshot.RatingsSnapshot;
import org.recofilms.snapshot.SnapshotRatings;

/**
 * Holds this instance's {@link UserHistories} and keeps it current. Only instances that serve /recommend hold
 * one ({@code reco.serving.histories.enabled}: api and all; RoleConfigSourceFactory turns it off for worker).
 *
 * <ul>
 *   <li>Load: at start, before /ready says ready (the histories check), and again after each ingestion step
 *       that succeeds (PipelineRunChanged on reco.pipeline.events). From the latest Parquet training snapshot
 *       when it is newer than the last ingestion (about 2 s at 20M ratings), then the feedback received since;
 *       else one binary COPY of {@code raw.current_ratings} in user and movie order (about 15 s), in a
 *       repeatable-read transaction whose start is the catch-up's first watermark; progress (rows, rate,
 *       ETA) is logged.
 *   <li>Kafka: every RatingSubmitted on reco.ratings, through a consumer group of this instance alone (every
 *       instance reads every partition), from the end of the topic at start.
 *   <li>This instance's own POSTs: {@link #apply} right after the database stored them (read-your-writes).
 *   <li>Catch-up: every {@code catch-up-period}, the rows of raw.feedback_ratings received since the watermark
 *       (less {@code catch-up-overlap}): a rating stored while Kafka was down still reaches every instance.
 * </ul>
 */
@ApplicationScoped
public class HistoryService {

    private static final Logger LOG = Logger.getLogger(HistoryService.class);

    /** The latest successful ingestion, whose ratings a load holds (the local copy is stamped with it). */
    private static final String LATEST_INGESTION = "SELECT id, finished_at FROM raw.ingestion_run_log"
            + " WHERE status = 'SUCCESS' AND finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT 1";

    public static final String LOAD_QUERY =
            "SELECT \"userId\", \"movieId\", rating, 0 FROM raw.current_ratings" + " ORDER BY \"userId\", \"movieId\"";

    private final AgroalDataSource dataSource;
    private final RecoConfig.Histories config;
    private final ObjectMapper json;
    private final String dataDir;
    private final UserHistories histories = UserHistories.empty();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "user-histories");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sinceCompaction = new AtomicInteger();
    private final AtomicBoolean compactionQueued = new AtomicBoolean();

    /** Writes the local copy ({@link HistoriesCopy}) off the loading thread; the latest pending one wins. */
    private final ExecutorService copyWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "user-histories-copy");
        t.setDaemon(true);
        return t;
    });

    private final AtomicReference<HistoriesCopy.Contents> pendingCopy = new AtomicReference<>();
    private final AtomicInteger copiesWritten = new AtomicInteger();
    private final Path copyFile;

    private final Object loading = new Object();
    private final AtomicInteger loads = new AtomicInteger();

    private volatile boolean loaded;
    private volatile String lastSource = "none";
    private volatile String status = "not started";
    private volatile double loadSeconds;
    /** The last successful ingestion whose ratings the arrays hold (null before a load or when none ran). */
    private volatile Ingestion ingestion;

    /** Database time up to which raw.feedback_ratings has been read (less the overlap on each read). */
    private volatile Timestamp watermark;

    private volatile Instant lastLoadStart;

    private volatile long lastCatchUpNanos = System.nanoTime();

    public HistoryService(AgroalDataSource dataSource, RecoConfig config, ObjectMapper json, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config.serving().histories();
        this.json = json;
        this.dataDir = config.data().dir();
        this.copyFile = Path.of(dataDir).resolve(HistoriesCopy.FILE);
        Gauge.builder(MetricNames.HISTORIES_USERS, histories, h -> h.base().users())
                .description("Users in the in-memory histories' arrays")
                .register(registry);
        Gauge.builder(MetricNames.HISTORIES_RATINGS, histories, h -> h.base().ratings() + h.overlaySize())
                .description("Ratings in the in-memory histories (arrays and overlay)")
                .register(registry);
        Gauge.builder(MetricNames.HISTORIES_BYTES, histories, h -> h.base().bytes())
                .description("Bytes of the in-memory histories' arrays")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(MetricNames.HISTORIES_LOAD_SECONDS, this, s -> s.loadSeconds)
                .description("Seconds the last full load of the histories took")
                .register(registry);
        Gauge.builder(MetricNames.HISTORIES_OVERLAY, histories, UserHistories::overlaySize)
                .description("Ratings in the overlay, not yet merged into the arrays")
                .register(registry);
        Gauge.builder(MetricNames.HISTORIES_CATCHUP_LAG, this, s -> (System.nanoTime() - s.lastCatchUpNanos) / 1e9)
                .description("Seconds since the last successful catch-up read of raw.feedback_ratings began")
                .register(registry);
    }

    void onStart(@Observes @Priority(2) StartupEvent event) {
        if (!config.enabled()) {
            status = "disabled on this role";
            return;
        }
        status = "loading";
        worker.execute(this::loadAtStart);
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
        copyWriter.shutdown();
    }

    private void loadAtStart() {
        try {
            load();
        } catch (RuntimeException e) {
            LOG.errorf(e, "user histories not loaded, retrying in %d s", 5);
            status = "load failed, retrying: " + e.getMessage();
            worker.schedule(this::loadAtStart, 5, TimeUnit.SECONDS);
            return;
        }
        long period = config.catchUpPeriod().toMillis();
        worker.scheduleWithFixedDelay(this::catchUpQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /** Whether the first load finished; /recommend is degraded and /ready not ready until then. */
    public boolean loaded() {
        return loaded;
    }

    /** Where the last full load read the ratings: local-copy, snapshot, copy (none before the first). */
    public String lastSource() {
        return lastSource;
    }

    /** How many times this instance wrote its local copy of the arrays ({@code reco.data.dir}/histories.bin). */
    public int localCopiesWritten() {
        return copiesWritten.get();
    }

    /** How many full loads finished. */
    public int loads() {
        return loads.get();
    }

    public String status() {
        return status;
    }

    public UserHistories histories() {
        return histories;
    }

    /** The user's current ratings, from memory only. */
    public UserRatings get(int userId) {
        return histories.get(userId);
    }

    /** Records ratings stored by this instance or heard of on Kafka or in the catch-up. */
    public void apply(int userId, int movieId, float rating, long timestamp) {
        if (!config.enabled()) {
            return;
        }
        histories.apply(userId, movieId, rating, timestamp);
        if (sinceCompaction.incrementAndGet() >= config.compactAt() && compactionQueued.compareAndSet(false, true)) {
            worker.execute(this::compact);
        }
    }

    private void compact() {
        compactionQueued.set(false);
        sinceCompaction.set(0);
        long t0 = System.nanoTime();
        if (config.localCopy()) {
            // under the load lock: the arrays and the stamp written with them belong to the same load
            synchronized (loading) {
                Timestamp mark = watermark;
                histories.compact();
                queueCopy(mark);
            }
        } else {
            histories.compact();
        }
        LOG.debugf("user histories overlay merged in %.2f s", (System.nanoTime() - t0) / 1e9);
    }

    /** Every RatingSubmitted, whoever published it (an instance-unique consumer group: a broadcast). */
    @Incoming("ratings-in")
    public void onRating(String record) {
        try {
            RatingSubmitted r = json.readValue(record, RatingSubmitted.class);
            apply(r.userId(), r.movieId(), r.rating(), r.timestamp());
        } catch (Exception e) {
            LOG.warnf("unreadable RatingSubmitted, ignored: %s", e.getMessage());
        }
    }

    /**
     * Reloads after each ingestion step that succeeded (a standalone ingestion or the daily chain's), unless a
     * load began after it finished (in role all, the in-process {@link RatingsReplaced} came first).
     */
    @Incoming("pipeline-events-in")
    @Blocking
    public void onPipelineEvent(String record) {
        try {
            JsonNode event = json.readTree(record);
            if ("PipelineRunChanged".equals(event.path("type").asText())
                    && "ingestion".equals(event.path("step").asText())
                    && "SUCCESS".equals(event.path("stepStatus").asText())) {
                JsonNode changed = event.path("changedAt");
                Instant at = changed.isNumber()
                        ? Instant.ofEpochMilli((long) (changed.asDouble() * 1000))
                        : changed.isTextual() ? Instant.parse(changed.asText()) : Instant.now();
                LOG.infof("ingestion run %s finished", event.path("runId").asText());
                reload(at);
            }
        } catch (Exception e) {
            LOG.warnf("unreadable pipeline event, ignored: %s", e.getMessage());
        }
    }

    /**
     * An ingestion in this process replaced the ratings: reloaded before the ingestion returns, so what follows
     * it in this process (a training, a test) is served from the new ratings.
     */
    void onRatingsReplaced(@Observes RatingsReplaced event) {
        if (!config.enabled()) {
            return;
        }
        try {
            load();
        } catch (RuntimeException e) {
            LOG.errorf(e, "user histories not reloaded after the ingestion, the current ones keep serving");
        }
    }

    /** Queues a full reload unless one began after {@code changedAt}; the current histories serve meanwhile. */
    public void reload(Instant changedAt) {
        if (!config.enabled()) {
            return;
        }
        worker.execute(() -> {
            Instant last = lastLoadStart;
            if (last != null && last.isAfter(changedAt)) {
                return;
            }
            try {
                LOG.info("reloading the user histories after an ingestion");
                load();
            } catch (RuntimeException e) {
                LOG.errorf(e, "user histories not reloaded, the current ones keep serving");
            }
        });
    }

    /** One full load from PostgreSQL; the new arrays replace the old ones, the overlay stays over them. */
    void load() {
        synchronized (loading) {
            loadOnce();
        }
    }

    private void loadOnce() {
        long t0 = System.nanoTime();
        if (config.localCopy() && loadLocalCopy(t0)) {
            return;
        }
        if (config.snapshot() && loadSnapshot(t0)) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long expected;
                Timestamp start;
                Ingestion current;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT now(), (SELECT reltuples::bigint FROM pg_class"
                                + " WHERE oid = 'raw.raw_ratings'::regclass), l.id, l.finished_at"
                                + " FROM (SELECT 1) one LEFT JOIN LATERAL (" + LATEST_INGESTION + ") l ON true")) {
                    rs.next();
                    start = rs.getTimestamp(1);
                    lastLoadStart = start.toInstant();
                    expected = Math.max(0, rs.getLong(2));
                    current = Ingestion.of(rs, 3);
                }
                UserHistories.Builder builder =
                        new UserHistories.Builder((int) Math.min(Integer.MAX_VALUE - 8, expected + 1024));
                Progress progress = new Progress(expected, t0);
                long rows = RatingsSnapshot.stream(c, LOAD_QUERY, (user, movie, rating, ts) -> {
                    builder.add(user, movie, rating);
                    progress.row();
                });
                c.commit();
                UserHistories.Base base = builder.build();
                histories.replaceBase(base);
                ingestion = current;
                if (watermark == null) {
                    watermark = start;
                }
                Timestamp mark = watermark;
                histories.compact();
                queueCopy(mark);
                loadSeconds = (System.nanoTime() - t0) / 1e9;
                lastSource = "copy";
                loaded = true;
                loads.incrementAndGet();
                status = "loaded";
                LOG.infof(
                        "user histories loaded: %d ratings of %d users in %.2f s (%.0f rows/s), %d MB of arrays",
                        rows, base.users(), loadSeconds, rows / Math.max(loadSeconds, 1e-9), base.bytes() >> 20);
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading the user histories failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the latest Parquet training snapshot ({@code reco.data.dir}/training_set.parquet) when it was written
     * after the last successful ingestion finished (so it holds the current MovieLens ratings), then reads the
     * feedback received since a little before it was written (the catch-up, before the load counts as done).
     * False, and nothing changed, when there is no such snapshot or it cannot be used: the caller COPYs.
     */
    private boolean loadSnapshot(long t0) {
        Path file = Path.of(dataDir).resolve("training_set.parquet");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            Instant written = Files.getLastModifiedTime(file).toInstant();
            Ingestion latest = latestIngestion();
            if (latest == null || !written.isAfter(latest.finished())) {
                LOG.infof("snapshot %s is older than the last ingestion: loading through COPY", file);
                return false;
            }
            SnapshotRatings rows = RatingsSnapshot.read(file);
            UserHistories.Builder builder = new UserHistories.Builder(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                builder.add(rows.userId()[i], rows.movieId()[i], rows.rating()[i]);
            }
            UserHistories.Base base = builder.build();
            histories.replaceBase(base);
            ingestion = latest;
            Timestamp from = Timestamp.from(written.minus(config.snapshotMargin()));
            if (watermark == null || from.before(watermark)) {
                watermark = from;
            }
            int caughtUp = catchUp();
            Timestamp mark = watermark;
            histories.compact();
            queueCopy(mark);
            loadSeconds = (System.nanoTime() - t0) / 1e9;
            lastSource = "snapshot";
            loaded = true;
            loads.incrementAndGet();
            status = "loaded";
            LOG.infof(
                    "user histories loaded from the snapshot %s: %d ratings of %d users, then %d feedback rows"
                            + " received since, in %.2f s, %d MB of arrays",
                    file, rows.size(), base.users(), caughtUp, loadSeconds, base.bytes() >> 20);
            return true;
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warnf("snapshot %s not used for the user histories (%s): loading through COPY", file, e.getMessage());
            return false;
        }
    }

    /**
     * Loads this instance's local copy ({@code reco.data.dir}/histories.bin) when it holds the latest successful
     * ingestion, then the feedback received since its watermark (less the overlap). False, and nothing changed,
     * when there is none, it is stale or it cannot be read: the caller loads from the snapshot or COPYs.
     */
    private boolean loadLocalCopy(long t0) {
        if (!Files.isRegularFile(copyFile)) {
            return false;
        }
        try {
            Ingestion latest = latestIngestion();
            HistoriesCopy.Stamp stamp = HistoriesCopy.stamp(copyFile);
            if (latest == null || !stamp.reflects(latest.id(), latest.finished())) {
                LOG.infof(
                        "local copy %s is stale (ingestion %d, the latest is %s): not used",
                        copyFile, stamp.ingestionId(), latest == null ? "none" : Long.toString(latest.id()));
                return false;
            }
            HistoriesCopy.Contents read = HistoriesCopy.read(copyFile);
            double readSeconds = (System.nanoTime() - t0) / 1e9;
            UserHistories.Base base = read.base();
            histories.replaceBase(base);
            ingestion = latest;
            Timestamp from = Timestamp.from(read.stamp().watermark());
            if (watermark == null || from.before(watermark)) {
                watermark = from;
            }
            int caughtUp = catchUp();
            histories.compact();
            loadSeconds = (System.nanoTime() - t0) / 1e9;
            lastSource = "local-copy";
            loaded = true;
            loads.incrementAndGet();
            status = "loaded";
            LOG.infof(
                    "user histories loaded from the local copy %s: %d ratings of %d users in %.2f s, then %d"
                            + " feedback rows received since, in %.2f s in all",
                    copyFile, base.ratings(), base.users(), readSeconds, caughtUp, loadSeconds);
            return true;
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warnf("local copy %s not used for the user histories (%s)", copyFile, e.getMessage());
            return false;
        }
    }

    /** The latest successful ingestion (null when none), and the load's start for {@link #reload}. */
    private Ingestion latestIngestion() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT now(), l.id, l.finished_at FROM (SELECT 1) one"
                        + " LEFT JOIN LATERAL (" + LATEST_INGESTION + ") l ON true")) {
            rs.next();
            lastLoadStart = rs.getTimestamp(1).toInstant();
            return Ingestion.of(rs, 2);
        }
    }

    /**
     * Queues a write of the current arrays to the local copy, stamped with the ingestion they hold and
     * {@code mark}, a watermark taken before they were built (so every feedback row received up to it is in
     * them). Called under the load lock, after a full load or a compaction; a newer queued write replaces an
     * older one not yet started.
     */
    private void queueCopy(Timestamp mark) {
        Ingestion held = ingestion;
        if (!config.localCopy() || held == null || mark == null) {
            return;
        }
        HistoriesCopy.Contents copy = new HistoriesCopy.Contents(
                histories.base(), new HistoriesCopy.Stamp(held.id(), held.finished(), mark.toInstant()));
        if (pendingCopy.getAndSet(copy) == null) {
            try {
                copyWriter.execute(this::writeCopy);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                pendingCopy.set(null);
            }
        }
    }

    private void writeCopy() {
        HistoriesCopy.Contents copy = pendingCopy.getAndSet(null);
        if (copy == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            HistoriesCopy.write(copyFile, copy.base(), copy.stamp());
            copiesWritten.incrementAndGet();
            LOG.infof(
                    "user histories written to the local copy %s: %d ratings, %d MB in %.2f s",
                    copyFile, copy.base().ratings(), copy.base().bytes() >> 20, (System.nanoTime() - t0) / 1e9);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("local copy %s not written (%s): the next start loads from the database", copyFile, e);
        }
    }

    /** A successful ingestion: its raw.ingestion_run_log id and finish time. */
    private record Ingestion(long id, Instant finished) {

        /** From the columns {@code column} (id) and {@code column + 1} (finished_at); null when they are null. */
        static Ingestion of(ResultSet rs, int column) throws SQLException {
            long id = rs.getLong(column);
            Timestamp finished = rs.getTimestamp(column + 1);
            return rs.wasNull() || finished == null ? null : new Ingestion(id, finished.toInstant());
        }
    }

    private void catchUpQuietly() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "user histories catch-up failed, retried in %d ms: %s",
                    config.catchUpPeriod().toMillis(), e.getMessage());
        }
    }

    /** Reads raw.feedback_ratings received since the watermark (less the overlap) into the overlay. */
    int catchUp() {
        long started = System.nanoTime();
        Timestamp from =
                new Timestamp(watermark.getTime() - config.catchUpOverlap().toMillis());
        int n = 0;
        Timestamp newest = watermark;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT \"userId\", \"movieId\", rating, \"timestamp\","
                        + " received_at FROM raw.feedback_ratings WHERE received_at > ?")) {
            s.setTimestamp(1, from);
            s.setQueryTimeout((int) Math.max(1, config.catchUpPeriod().toSeconds() * 2));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    apply(rs.getInt(1), rs.getInt(2), rs.getFloat(3), rs.getLong(4));
                    Timestamp at = rs.getTimestamp(5);
                    if (at.after(newest)) {
                        newest = at;
                    }
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        watermark = newest;
        lastCatchUpNanos = started;
        return n;
    }

    /** Logs the load's progress every progress interval: rows, rate and, from the planner's row estimate, ETA. */
    private final class Progress {
        private final long expected;
        private final long t0;
        private final long interval =
                Duration.ofMillis(config.progressInterval().toMillis()).toNanos();
        private long rows;
        private long next;

        Progress(long expected, long t0) {
            this.expected = expected;
            this.t0 = t0;
            this.next = t0 + interval;
        }

        void row() {
            rows++;
            if ((rows & 0xffff) == 0) {
                long now = System.nanoTime();
                if (now >= next) {
                    next = now + interval;
                    double seconds = (now - t0) / 1e9;
                    double rate = rows / seconds;
                    String eta = expected > rows ? String.format("%.0f s", (expected - rows) / rate) : "unknown";
                    LOG.infof(
                            "loading user histories: %d of about %d rows, %.0f rows/s, ETA %s",
                            rows, expected, rate, eta);
                }
            }
        }
    }
}
