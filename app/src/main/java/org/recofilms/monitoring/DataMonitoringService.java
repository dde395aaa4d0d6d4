package org.recofilms.monitoring;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.recofilms.platform.Jdbc;
import org.recofilms.platform.RecoConfig;

/**
 * The data KPIs of raw.monitoring_metrics, with the seed's metric names and periods: for a day, its
 * month and its year, the volumes (nb_notes, nb_users, nb_movies, avg_rating, nb_new_*), and for
 * months and years the rating and genre distributions (pct_rating_*, pct_genre_*,
 * avg_genres_per_movie) and their PSI against the month or year before (psi_*). Periods come from
 * the ratings' own timestamps, in UTC. Every run replaces the rows of the periods it computes in one
 * transaction, so running it again gives the same rows. Blocking: call it off the event loop.
 */
@ApplicationScoped
public class DataMonitoringService {

    private static final Logger LOG = Logger.getLogger(DataMonitoringService.class);

    /** Advisory lock key of the write phase: two runs at once would only fight over the same rows. */
    private static final long LOCK_KEY = 0x7265636f_0103L;

    private static final Pattern WORK_MEM = Pattern.compile("\\d+\\s*(kB|MB|GB)");

    private final AgroalDataSource dataSource;
    private final RecoConfig config;
    private final PsiGauges gauges;

    public DataMonitoringService(AgroalDataSource dataSource, RecoConfig config, PsiGauges gauges) {
        this.dataSource = dataSource;
        this.config = config;
        this.gauges = gauges;
    }

    /**
     * The KPIs of {@code day}, of its month and of its year (the month and the year as far as the
     * data goes). The daily job passes yesterday.
     */
    public MonitoringSummary run(LocalDate day) {
        LocalDate from = LocalDate.of(day.getYear() - 1, 1, 1);
        LocalDate to = LocalDate.of(day.getYear() + 1, 1, 1);
        return compute("day " + day, new Window(from, to, day));
    }

    /** Every day, month and year of the data's history; periods outside it are removed. */
    public MonitoringSummary backfill() {
        return compute("backfill", null);
    }

    /**
     * Ratings read: [from, to) in days. A daily run reads its year and the year before (the previous
     * month or year of its PSI), and writes only the periods of {@code day}.
     */
    private record Window(LocalDate from, LocalDate to, LocalDate day) {
        long fromSecond() {
            return from.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }

        long toSecond() {
            return to.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }
    }

    private MonitoringSummary compute(String scope, Window window) {
        long t0 = System.nanoTime();
        long lo = window == null ? Long.MIN_VALUE : window.fromSecond();
        long hi = window == null ? Long.MAX_VALUE : window.toSecond();
        Written written;
        try (Connection c = dataSource.getConnection()) {
            try {
                Step step = new Step(scope);
                // Read phase: one snapshot of the ratings and movies into this session's temporary
                // tables, committed at once so that the read locks on raw.* (which an ingestion's
                // table swap waits for) are held no longer than the scans.
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                Jdbc.inTransaction(c, tx -> {
                    setWorkMem(tx);
                    update(tx, KpiSql.DAY_RATING, lo, hi);
                    update(tx, KpiSql.USER_DAY, lo, hi);
                    update(tx, KpiSql.MOVIE_DAY, lo, hi);
                    update(tx, KpiSql.MOVIE_GENRE);
                    if (window != null) {
                        update(tx, KpiSql.FIRST_IN_WINDOW, lo, hi);
                    }
                    return null;
                });
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                written = Jdbc.inTransaction(c, tx -> {
                    analyze(tx, "mon_day_rating", "mon_user_day", "mon_movie_day");
                    step.done("ratings read and aggregated per day");
                    // Write phase: from the temporary tables only, replacing the periods in one transaction.
                    return write(tx, window, step);
                });
                if (written != null) {
                    step.done("upserted");
                }
            } finally {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                discardTemporaryTables(c);
            }
        } catch (SQLException e) {
            throw new MonitoringException("monitoring " + scope + " failed: " + e.getMessage(), e);
        }
        if (written == null) {
            LOG.infof("monitoring %s: no ratings, nothing written", scope);
            return new MonitoringSummary(scope, 0, 0, seconds(t0));
        }
        int periods = written.periods();
        int metrics = written.metrics();
        gauges.refresh();
        MonitoringSummary summary = new MonitoringSummary(scope, periods, metrics, seconds(t0));
        LOG.infof(
                "monitoring %s: %d periods, %d metrics in %.1f s",
                scope, summary.periods(), summary.metrics(), summary.durationSeconds());
        return summary;
    }

    /** Periods and metrics written by one run. */
    private record Written(int periods, int metrics) {}

    /** The write phase, inside its transaction; null when there are no ratings (nothing written). */
    private Written write(Connection c, Window window, Step step) throws SQLException {
        setWorkMem(c);
        lock(c);
        long fromDay;
        long toDay;
        if (window != null) {
            fromDay = window.from().toEpochDay();
            toDay = window.to().toEpochDay();
        } else {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(KpiSql.DAY_RANGE)) {
                rs.next();
                if (rs.getObject(1) == null) {
                    return null;
                }
                fromDay = rs.getLong(1);
                toDay = rs.getLong(2) + 1;
            }
        }
        update(c, KpiSql.DAYS, fromDay, toDay);
        update(c, KpiSql.TARGETS);
        if (window == null) {
            update(c, KpiSql.TARGETS_ALL);
        } else {
            LocalDate d = window.day();
            update(c, KpiSql.TARGETS_DAY, d.toEpochDay(), d.getYear() * 12L + d.getMonthValue() - 1, d.getYear());
        }
        int periods = update(c, KpiSql.TARGET_VALUES);
        update(c, KpiSql.USER_MONTH);
        update(c, KpiSql.USER_YEAR);
        update(c, KpiSql.MOVIE_MONTH);
        update(c, KpiSql.MOVIE_YEAR);
        if (window == null) {
            update(c, KpiSql.FIRST_FROM_DAYS);
        }
        analyze(c, "mon_day", "mon_target", "mon_user_month", "mon_movie_month", "mon_first");
        step.done("months, years and first ratings");
        update(c, KpiSql.RATING);
        update(c, KpiSql.GENRE);
        update(c, KpiSql.COUNTS);
        update(c, KpiSql.OUT);
        update(c, KpiSql.OUT_CORE);
        update(c, KpiSql.OUT_PCT);
        update(c, KpiSql.OUT_PSI);
        step.done("KPIs, distributions and PSI");
        update(c, KpiSql.DELETE_STALE_IN_TARGETS);
        if (window == null) {
            update(c, KpiSql.DELETE_OUTSIDE_TARGETS);
        }
        int metrics = update(c, KpiSql.UPSERT);
        return new Written(periods, metrics);
    }

    /** Transaction advisory lock: the write phases of two runs never interleave. */
    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    private void setWorkMem(Connection c) throws SQLException {
        String workMem = config.monitoring().workMem();
        if (!WORK_MEM.matcher(workMem).matches()) {
            throw new IllegalArgumentException("reco.monitoring.work-mem must look like 256MB, not " + workMem);
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL work_mem = '" + workMem + "'");
        }
    }

    private static int update(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setLong(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** The pool hands this session to others: no temporary table may outlive the run. */
    private static void discardTemporaryTables(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("DISCARD TEMP");
        } catch (SQLException e) {
            LOG.warnf("monitoring: could not discard its temporary tables: %s", e.getMessage());
        }
    }

    /** Temporary tables get no statistics of their own; the joins that follow need them. */
    private static void analyze(Connection c, String... tables) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String table : tables) {
                st.execute("ANALYZE " + table);
            }
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Logs each phase with its time, for a backfill that runs minutes at ML-20M scale. */
    private static final class Step {
        private final String scope;
        private long t = System.nanoTime();

        Step(String scope) {
            this.scope = scope;
        }

        void done(String what) {
            long now = System.nanoTime();
            LOG.infof("monitoring %s: %s in %.1f s", scope, what, (now - t) / 1e9);
            t = now;
        }
    }
}
