package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestDatabase;
import org.recofilms.platform.RecoConfig;

/**
 * The local copy of the user histories on the real PostgreSQL: an ingestion's load writes it; a second
 * {@link HistoryService} (as after a restart: empty, no watermark) loads it and then the rating stored after it
 * was written (the catch-up); after a newer ingestion the old file is not used, nor a damaged one.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(HistoriesLocalCopyTest.LocalCopy.class)
class HistoriesLocalCopyTest {

    /** The local copy on (tests turn it off by default), in a data directory of this test's own. */
    public static class LocalCopy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.serving.histories.local-copy", "true",
                    "reco.data.dir", "target/test-data-local-copy",
                    "reco.ingestion.row-count-tolerance", "1000");
        }
    }

    private static final int LATE_USER = 93_000_001;

    @Inject
    IngestionService ingestion;

    @Inject
    HistoryService histories;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RecoConfig config;

    @Inject
    ObjectMapper json;

    @Test
    void aRestartLoadsTheLocalCopyThenWhatWasStoredSinceAndNeverAStaleOrDamagedOne() throws Exception {
        Path file = Path.of(config.data().dir()).resolve(HistoriesCopy.FILE);
        int written = histories.localCopiesWritten();
        ingest(4242);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> histories.localCopiesWritten() > written);
        long latest = TestDatabase.count(
                dataSource,
                "SELECT id FROM raw.ingestion_run_log WHERE status = 'SUCCESS' AND finished_at IS NOT NULL"
                        + " ORDER BY finished_at DESC, id DESC LIMIT 1");
        assertEquals(latest, HistoriesCopy.stamp(file).ingestionId());

        int movie = (int) TestDatabase.count(dataSource, "SELECT min(\"movieId\") FROM raw.raw_movies");
        insertFeedback(LATE_USER, movie, 4.5f); // after the file was written: only the catch-up can bring it

        HistoryService restarted = restarted();
        assertEquals("local-copy", restarted.lastSource());
        assertArrayEquals(new int[] {movie}, restarted.get(LATE_USER).movieIds());
        assertArrayEquals(new float[] {4.5f}, restarted.get(LATE_USER).ratings());
        assertSameHistories(histories, restarted);

        // a newer ingestion: the file from before it is stale
        Path old = file.resolveSibling("histories-before.bin");
        Files.copy(file, old, StandardCopyOption.REPLACE_EXISTING);
        int before = histories.localCopiesWritten();
        ingest(4343);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> histories.localCopiesWritten() > before);
        Files.move(old, file, StandardCopyOption.REPLACE_EXISTING);
        HistoryService afterStale = restarted();
        assertEquals("copy", afterStale.lastSource());
        assertSameHistories(histories, afterStale);

        // a damaged file (cut short, as by a full disk) is refused too
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals("copy", restarted().lastSource());
    }

    /** A new service over the same database and data directory, loaded once as at start. */
    private HistoryService restarted() {
        HistoryService s = new HistoryService(dataSource, config, json, new SimpleMeterRegistry());
        s.load();
        return s;
    }

    private void assertSameHistories(HistoryService expected, HistoryService got) throws SQLException {
        List<Integer> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT DISTINCT \"userId\" FROM raw.current_ratings");
                var rs = s.executeQuery()) {
            while (rs.next()) {
                users.add(rs.getInt(1));
            }
        }
        assertTrue(users.size() > 50, "users: " + users.size());
        // the running instance may still be one catch-up period behind the database
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int user : users) {
                assertArrayEquals(expected.get(user).movieIds(), got.get(user).movieIds(), "movies of user " + user);
                assertArrayEquals(expected.get(user).ratings(), got.get(user).ratings(), "ratings of user " + user);
            }
        });
    }

    private void ingest(long seed) throws Exception {
        Path dir = Files.createTempDirectory("histories-local-copy");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(seed)
                        .ratings(8_000)
                        .users(100)
                        .movies(200)
                        .genomeMovies(40)
                        .build(),
                dir);
        IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), dir.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
    }

    private void insertFeedback(int user, int movie, float rating) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO raw.feedback_ratings (\"userId\", \"movieId\","
                                + " rating, \"timestamp\") VALUES (?, ?, ?, ?) ON CONFLICT (\"userId\", \"movieId\") DO UPDATE"
                                + " SET rating = EXCLUDED.rating, \"timestamp\" = EXCLUDED.\"timestamp\", received_at = now()")) {
            s.setInt(1, user);
            s.setInt(2, movie);
            s.setFloat(3, rating);
            s.setLong(4, System.currentTimeMillis() / 1000);
            s.executeUpdate();
        }
    }
}
