package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.launcher.LocalPostgres;

/** The export against a real PostgreSQL server (zonky binaries), through binary COPY. */
class RatingsSnapshotExportTest {

    private static final int ROWS = 4_321;

    private static LocalPostgres postgres;
    private static SnapshotRatings inserted;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = LocalPostgres.start(
                Path.of(
                                "target",
                                "test-services",
                                "snapshot-export-" + ProcessHandle.current().pid())
                        .toAbsolutePath(),
                0,
                false,
                false);
        inserted = distinctPairs(ROWS, 17);
        try (Connection c = connection();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA raw");
            st.execute("CREATE TABLE raw.current_ratings (\"userId\" integer NOT NULL, \"movieId\" integer NOT NULL,"
                    + " rating real NOT NULL, \"timestamp\" bigint NOT NULL, PRIMARY KEY (\"userId\", \"movieId\"))");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO raw.current_ratings VALUES (?, ?, ?, ?)")) {
                for (int r = 0; r < ROWS; r++) {
                    insert.setInt(1, inserted.userId()[r]);
                    insert.setInt(2, inserted.movieId()[r]);
                    insert.setFloat(3, inserted.rating()[r]);
                    insert.setLong(4, inserted.timestamp()[r]);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            st.execute("CREATE TABLE raw.with_nulls AS SELECT * FROM raw.current_ratings LIMIT 10");
            st.execute("UPDATE raw.with_nulls SET rating = NULL WHERE ctid = (SELECT min(ctid) FROM raw.with_nulls)");
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    @Test
    void exportsEveryRowOfTheLiveRatings() throws Exception {
        Path target = dir.resolve("data/training_set.parquet");
        List<long[]> reports = new ArrayList<>();
        SnapshotInfo info;
        try (Connection c = connection()) {
            info = RatingsSnapshot.export(c, target, (rows, rate) -> reports.add(new long[] {rows, (long) rate}));
            assertTrue(c.getAutoCommit(), "the connection's autocommit is left as it was");
        }

        assertEquals(target.toAbsolutePath(), info.path());
        assertEquals(ROWS, info.rows());
        assertEquals(Files.size(target), info.bytes());
        assertEquals(org.recofilms.platform.DvcHash.md5(target), info.md5());
        assertEquals(ROWS, reports.get(reports.size() - 1)[0], "the last report has the final count");
        SnapshotRatings read = RatingsSnapshot.read(target);
        // the default query orders by (userId, movieId): every row, in exactly that order
        assertEquals(sortedRows(inserted), rows(read));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList(), "no temporary file is left beside the snapshot");
        }
    }

    @Test
    void exportOfAnOrderedQueryIsTheSameFileAsWritingTheSameRows() throws Exception {
        Path exported = dir.resolve("exported.parquet");
        Path written = dir.resolve("written.parquet");
        String query = "SELECT \"userId\", \"movieId\", rating, \"timestamp\" FROM raw.current_ratings"
                + " ORDER BY \"userId\", \"movieId\", \"timestamp\", rating;";
        SnapshotInfo info;
        try (Connection c = connection()) {
            info = RatingsSnapshot.export(c, query, exported, Codec.SNAPPY, SnapshotProgress.NONE);
        }
        SnapshotRatings ordered = RatingsSnapshot.read(exported);

        SnapshotInfo same = RatingsSnapshot.write(written, ordered, Codec.SNAPPY);

        assertEquals(info.md5(), same.md5(), "the file depends on the rows only, not on where they came from");
        assertEquals(sortedRows(inserted), sortedRows(ordered));
    }

    @Test
    void columnsOfOtherTypesAreCastByTheServer() throws Exception {
        Path target = dir.resolve("cast.parquet");
        String query = "SELECT \"userId\"::bigint, \"movieId\"::numeric, rating::double precision,"
                + " \"timestamp\"::text, 'extra' AS ignored FROM raw.current_ratings WHERE \"userId\" BETWEEN 1 AND 5";
        try (Connection c = connection()) {
            RatingsSnapshot.export(c, query, target, Codec.ZSTD, SnapshotProgress.NONE);
        }

        List<Row> expected = sortedRows(inserted).stream()
                .filter(row -> row.userId() >= 1 && row.userId() <= 5)
                .toList();
        assertEquals(expected, sortedRows(RatingsSnapshot.read(target)));
    }

    @Test
    void aNullFailsTheExportAndKeepsThePreviousSnapshot() throws Exception {
        Path target = dir.resolve("training_set.parquet");
        SnapshotInfo previous = RatingsSnapshot.write(target, TestFiles.randomRatings(10, 1), Codec.ZSTD);

        SnapshotException e;
        try (Connection c = connection()) {
            e = assertThrows(
                    SnapshotException.class,
                    () -> RatingsSnapshot.export(
                            c,
                            "SELECT \"userId\", \"movieId\", rating, \"timestamp\" FROM raw.with_nulls",
                            target,
                            Codec.ZSTD,
                            SnapshotProgress.NONE));
            // the COPY was ended cleanly: the connection still works
            try (Statement st = c.createStatement()) {
                assertTrue(st.execute("SELECT 1"));
            }
        }

        assertTrue(e.getMessage().contains(": column rating is null in row "), e.getMessage());
        assertEquals(previous.md5(), org.recofilms.platform.DvcHash.md5(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void aBadQueryFailsWithTheServersMessageAndWritesNothing() throws Exception {
        Path target = dir.resolve("training_set.parquet");

        SnapshotException e;
        try (Connection c = connection()) {
            e = assertThrows(
                    SnapshotException.class,
                    () -> RatingsSnapshot.export(
                            c, "SELECT 1, 2, 3 FROM raw.current_ratings", target, Codec.ZSTD, SnapshotProgress.NONE));
        }

        assertTrue(e.getMessage().startsWith("could not write snapshot " + target.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("has 3 columns available but 4 columns specified"), e.getMessage());
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    /**
     * Random rows, inserted out of order, with distinct (userId, movieId) pairs (the view's key) and the extremes of
     * each type.
     */
    private static SnapshotRatings distinctPairs(int rows, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        int[] users = new int[rows];
        int[] movies = new int[rows];
        float[] ratings = new float[rows];
        long[] times = new long[rows];
        for (int r = 0; r < rows; r++) {
            // (r / 37, r % 37) are distinct, so are the pairs; shuffled so that the ORDER BY has work to do
            int slot = (int) ((r * 7_919L) % rows);
            users[slot] = r / 37 - 5;
            movies[slot] = (r % 37) * 5_000 + random.nextInt(5_000);
            ratings[slot] = (1 + random.nextInt(10)) / 2.0f;
            times[slot] = 789_652_009L + random.nextLong(700_000_000L);
        }
        users[0] = Integer.MIN_VALUE;
        users[1] = Integer.MAX_VALUE;
        times[0] = Long.MIN_VALUE;
        times[1] = Long.MAX_VALUE;
        ratings[1] = -0.0f;
        return new SnapshotRatings(users, movies, ratings, times);
    }

    /** Rows as (userId, movieId, rating bits, timestamp) tuples, in file order. */
    private static List<Row> rows(SnapshotRatings ratings) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ratings.size(); r++) {
            rows.add(new Row(
                    ratings.userId()[r],
                    ratings.movieId()[r],
                    Float.floatToRawIntBits(ratings.rating()[r]),
                    ratings.timestamp()[r]));
        }
        return rows;
    }

    /** Rows sorted by (userId, movieId). */
    private static List<Row> sortedRows(SnapshotRatings ratings) {
        List<Row> rows = rows(ratings);
        rows.sort(Comparator.comparingInt(Row::userId).thenComparingInt(Row::movieId));
        return rows;
    }

    private record Row(int userId, int movieId, int ratingBits, long timestamp) {}
}
