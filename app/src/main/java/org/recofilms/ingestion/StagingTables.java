package org.recofilms.ingestion;

import io.agroal.api.AgroalDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;
import org.recofilms.platform.Jdbc;

/**
 * The atomic refresh of the MovieLens tables. A load goes into schema raw_stage, into tables shaped
 * like the live ones ({@code LIKE ... INCLUDING ALL} but indexes); indexes and keys are built after
 * the load, named as the live ones; then one transaction drops the live tables and moves the staged
 * ones into schema raw, and runs R__views.sql again. Readers see the old data or the new, never a
 * half table; a failed or killed load leaves raw untouched (raw_stage is dropped on the next run).
 * The live schema (from the Flyway migrations) stays the one source of truth for columns and indexes.
 */
final class StagingTables {

    private static final Logger LOG = Logger.getLogger(StagingTables.class);

    static final List<String> TABLES =
            List.of("raw_movies", "raw_ratings", "raw_tags", "raw_links", "raw_genome_tags", "raw_genome_scores");

    private final AgroalDataSource dataSource;
    private final List<Future<?>> pending = new ArrayList<>();
    private ExecutorService builders;
    private List<IndexDef> liveIndexes;

    StagingTables(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    static String tableOf(String file) {
        return switch (file) {
            case MovieLensFileSet.MOVIES -> "raw_movies";
            case MovieLensFileSet.RATINGS -> "raw_ratings";
            case MovieLensFileSet.TAGS -> "raw_tags";
            case MovieLensFileSet.LINKS -> "raw_links";
            case MovieLensFileSet.GENOME_TAGS -> "raw_genome_tags";
            case MovieLensFileSet.GENOME_SCORES -> "raw_genome_scores";
            default -> throw new IllegalArgumentException(file);
        };
    }

    /** Drops what a failed or killed run left, and creates empty staging tables. */
    void create() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS raw_stage CASCADE");
            st.execute("CREATE SCHEMA raw_stage");
            for (String table : TABLES) {
                st.execute("CREATE TABLE raw_stage." + table + " (LIKE raw." + table
                        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)");
            }
        }
    }

    void drop() {
        stopBuilders();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS raw_stage CASCADE");
        } catch (SQLException e) {
            LOG.warnf("could not drop the staging schema: %s", e.getMessage());
        }
    }

    /** An index or key of a live table, to rebuild on its staged copy. */
    private record IndexDef(String table, String name, String definition, String constraint, long liveSize) {}

    private List<IndexDef> liveIndexes(Connection c) throws SQLException {
        String sql = """
                SELECT i.tablename, i.indexname, i.indexdef, con.contype,
                       pg_relation_size(format('raw.%I', i.tablename)::regclass)
                FROM pg_indexes i
                LEFT JOIN pg_constraint con ON con.conname = i.indexname
                    AND con.connamespace = 'raw'::regnamespace AND con.contype IN ('p', 'u')
                WHERE i.schemaname = 'raw' AND i.tablename = ANY (?)
                """;
        List<IndexDef> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", TABLES.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IndexDef(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /**
     * Starts building the live table's indexes and keys on its staged copy, in the background (two
     * builders, one per core), then analyzes it; called as soon as the table's file is staged, so
     * that the big ratings indexes build while the next files stream in. A duplicate key that the
     * loader could not see (a file not grouped by user) is removed and reported as a
     * {@link RejectKind#DUPLICATE_PAIR} reject with an unknown line.
     */
    void startIndexes(String table, RejectLog rejects) throws SQLException {
        if (builders == null) {
            builders = Executors.newFixedThreadPool(2, r -> new Thread(r, "ingestion-index"));
            try (Connection c = dataSource.getConnection()) {
                liveIndexes = liveIndexes(c);
            }
        }
        List<IndexDef> mine =
                liveIndexes.stream().filter(i -> i.table().equals(table)).toList();
        List<Future<?>> builds = new ArrayList<>();
        for (IndexDef index : mine) {
            builds.add(builders.submit(() -> {
                build(index, rejects);
                return null;
            }));
        }
        pending.addAll(builds);
        // Once the table's indexes exist: turn the key indexes into constraints (ALTER TABLE waits for
        // every build on the table, so it runs here rather than in a builder) and analyze.
        pending.add(builders.submit(() -> {
            for (Future<?> f : builds) {
                f.get();
            }
            try (Connection c = dataSource.getConnection();
                    Statement st = c.createStatement()) {
                for (IndexDef index : mine) {
                    if (index.constraint() != null) {
                        String kind = index.constraint().equals("p") ? "PRIMARY KEY" : "UNIQUE";
                        st.execute("ALTER TABLE raw_stage." + table + " ADD CONSTRAINT " + index.name() + " " + kind
                                + " USING INDEX " + index.name());
                    }
                }
                st.execute("ANALYZE raw_stage." + table);
            }
            return null;
        }));
    }

    /** Waits for every index build started; rethrows the first failure. */
    void awaitIndexes() throws SQLException {
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestionException("interrupted while building indexes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IngestionException("index build failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            stopBuilders();
        }
    }

    private void stopBuilders() {
        if (builders != null) {
            builders.shutdownNow();
            builders = null;
        }
        pending.clear();
    }

    private void build(IndexDef index, RejectLog rejects) throws SQLException {
        String definition =
                index.definition().replace(" ON raw." + index.table() + " ", " ON raw_stage." + index.table() + " ");
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            // 20M keys sort in memory with 1 GB; two builders at most run at once
            st.execute("SET maintenance_work_mem = '1GB'");
            st.execute("SET max_parallel_maintenance_workers = 0");
            try {
                st.execute(definition);
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || index.constraint() == null) {
                    throw e;
                }
                removeDuplicates(c, index, rejects);
                st.execute(definition);
            }
        }
        LOG.debugf("index %s built in %.1f s", index.name(), (System.nanoTime() - t0) / 1e9);
    }

    private void removeDuplicates(Connection c, IndexDef index, RejectLog rejects) throws SQLException {
        String columns = index.definition()
                .substring(
                        index.definition().lastIndexOf('(') + 1,
                        index.definition().lastIndexOf(')'));
        String sql =
                "DELETE FROM raw_stage." + index.table() + " t USING (SELECT ctid, row_number() OVER (PARTITION BY "
                        + columns + " ORDER BY ctid) AS n FROM raw_stage." + index.table()
                        + ") d WHERE t.ctid = d.ctid AND d.n > 1"
                        + " RETURNING t.*";
        String file = MovieLensFileSet.ALL.stream()
                .filter(f -> tableOf(f).equals(index.table()))
                .findFirst()
                .orElseThrow();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int columnsCount = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columnsCount; i++) {
                    row.append(i > 1 ? "," : "").append(rs.getString(i));
                }
                rejects.add(file, -1, RejectKind.DUPLICATE_PAIR, row.toString());
            }
        }
    }

    /** Row counts of the staged tables. */
    java.util.Map<String, Long> stagedCounts() throws SQLException {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM raw_stage." + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /** Replaces the live tables by the staged ones in one transaction, and recreates the views. */
    void swap() throws SQLException, IOException {
        String views;
        try (InputStream in = StagingTables.class.getResourceAsStream("/db/migration/R__views.sql")) {
            if (in == null) {
                throw new IOException("db/migration/R__views.sql not on the classpath");
            }
            views = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Jdbc.inTransaction(dataSource, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '60s'");
                st.execute("DROP TABLE "
                        + String.join(", ", TABLES.stream().map(t -> "raw." + t).toList()) + " CASCADE");
                for (String table : TABLES) {
                    st.execute("ALTER TABLE raw_stage." + table + " SET SCHEMA raw");
                }
                st.execute(views);
                st.execute("DROP SCHEMA raw_stage");
            }
            return null;
        });
    }
}
