package org.recofilms.serving;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.snapshot.RatingsSnapshot;

/**
 * The in-memory user histories on the real PostgreSQL and Kafka: loaded at the ingestion, equal to what the
 * database's merge gives ({@link RatingsRepository#history}) for every user, feedback included; a posted rating
 * served at once; a rating that reached only the database (as if Kafka had lost it) served after the catch-up.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserHistoriesServingTest {

    private static final int USERS = 120;

    /** Ids far above the generated users': their ratings are these tests' alone. */
    private static final int POSTER = 92_000_001;

    private static final int DIRECT = 92_000_002;

    private static boolean prepared;

    @Inject
    IngestionService ingestion;

    @Inject
    HistoryService histories;

    @Inject
    RatingsRepository ratings;

    @Inject
    DataSource db;

    @ConfigProperty(name = "reco.data.dir")
    String dataDir;

    @BeforeEach
    void ingested() throws Exception {
        if (prepared) {
            return;
        }
        Path dir = Files.createTempDirectory("user-histories");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(9090)
                        .ratings(12_000)
                        .users(USERS)
                        .movies(250)
                        .genomeMovies(50)
                        .build(),
                dir);
        int loads = histories.loads();
        IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), dir.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        assertTrue(histories.loads() > loads, "the ingestion reloaded the histories before it returned");
        prepared = true;
    }

    @Test
    @Order(1)
    void theStoreEqualsTheDatabasesMergeForEveryUserFeedbackIncluded() throws Exception {
        // feedback straight into the table, as another instance's POSTs would leave it: some replace MovieLens
        // ratings (feedback wins), some are new movies, some are new users
        Random random = new Random(31);
        List<int[]> movies = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT \"userId\", \"movieId\" FROM raw.raw_ratings" + " ORDER BY \"userId\", \"movieId\"");
                var rs = s.executeQuery()) {
            while (rs.next()) {
                movies.add(new int[] {rs.getInt(1), rs.getInt(2)});
            }
        }
        for (int i = 0; i < 300; i++) {
            int[] row = movies.get(random.nextInt(movies.size()));
            boolean replace = random.nextBoolean();
            int user = i % 10 == 0 ? 92_100_000 + i : row[0];
            int movie = replace ? row[1] : movies.get(random.nextInt(movies.size()))[1];
            insertFeedback(user, movie, (1 + random.nextInt(10)) / 2f);
        }
        assertEqualsTheDatabaseForEveryUser();
    }

    @Test
    @Order(2)
    void aLoadFromTheParquetSnapshotThenTheFeedbackSinceEqualsTheDatabaseToo() throws Exception {
        Path snapshot = Path.of(dataDir).resolve("training_set.parquet");
        Files.createDirectories(snapshot.toAbsolutePath().getParent());
        try (Connection c = db.getConnection()) {
            RatingsSnapshot.export(c, snapshot, (rows, rate) -> {});
        }
        insertFeedback(92_200_001, anyMovie(), 3.5f); // after the snapshot: read by the load's catch-up
        histories.load();
        assertEquals("snapshot", histories.lastSource());
        assertArrayEquals(new float[] {3.5f}, histories.get(92_200_001).ratings());
        assertEqualsTheDatabaseForEveryUser();
        // an ingestion after the snapshot makes it stale: the next load COPYs
        Files.setLastModifiedTime(snapshot, java.nio.file.attribute.FileTime.fromMillis(0));
        histories.load();
        assertEquals("copy", histories.lastSource());
        assertEqualsTheDatabaseForEveryUser();
    }

    private void assertEqualsTheDatabaseForEveryUser() throws SQLException {
        List<Integer> users = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT DISTINCT \"userId\" FROM raw.current_ratings");
                var rs = s.executeQuery()) {
            while (rs.next()) {
                users.add(rs.getInt(1));
            }
        }
        assertTrue(users.size() > USERS / 2, "users: " + users.size());
        users.add(92_999_999); // nobody
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int user : users) {
                UserRatings expected = ratings.history(user).await().atMost(Duration.ofSeconds(10));
                UserRatings got = histories.get(user);
                assertArrayEquals(expected.movieIds(), got.movieIds(), "movies of user " + user);
                assertArrayEquals(expected.ratings(), got.ratings(), "ratings of user " + user);
            }
        });
    }

    @Test
    @Order(3)
    void aPostedRatingIsServedAtOnceByThisInstance() {
        int movie = anyMovie();
        given().queryParam("user_id", POSTER)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("user_ratings", equalTo(0));
        given().contentType("application/json")
                .body("{\"movie_id\": " + movie + ", \"rating\": 4.5}")
                .post("/users/" + POSTER + "/ratings")
                .then()
                .statusCode(201);
        // no wait: read-your-writes on the instance that answered 201
        given().queryParam("user_id", POSTER)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("user_ratings", equalTo(1))
                .body("reason", not(equalTo("degraded")));
        assertArrayEquals(new int[] {movie}, histories.get(POSTER).movieIds());
    }

    @Test
    @Order(4)
    void aRatingOnlyInTheDatabaseIsServedAfterTheCatchUp() throws SQLException {
        int movie = anyMovie();
        given().queryParam("user_id", DIRECT).get("/recommend").then().body("user_ratings", equalTo(0));
        insertFeedback(DIRECT, movie, 2.5f); // as if its RatingSubmitted had never reached Kafka
        // reco.serving.histories.catch-up-period is 1 s in tests; the bound leaves room for a busy machine
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().queryParam("user_id", DIRECT)
                        .get("/recommend")
                        .then()
                        .body("user_ratings", equalTo(1)));
        assertArrayEquals(new float[] {2.5f}, histories.get(DIRECT).ratings());
        String metrics = given().get("/q/metrics").asString();
        for (String series : List.of(
                "reco_histories_users ",
                "reco_histories_ratings ",
                "reco_histories_bytes ",
                "reco_histories_load_seconds ",
                "reco_histories_overlay_ratings ",
                "reco_histories_catchup_lag_seconds ")) {
            assertTrue(metrics.contains(series), "missing " + series);
        }
    }

    @Test
    @Order(5)
    void anIngestionStepThatSucceededOnAWorkerReloadsTheHistories() throws Exception {
        int loads = histories.loads();
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", org.recofilms.local.TestServices.kafkaBootstrapServers());
        props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        String run = UUID.randomUUID().toString();
        // the record a worker's PipelineRunner publishes when its ingestion step succeeded
        String event = "{\"type\":\"PipelineRunChanged\",\"runId\":\"" + run + "\",\"kind\":\"ingestion\","
                + "\"status\":\"RUNNING\",\"trigger\":\"test\",\"step\":\"ingestion\",\"stepStatus\":\"SUCCESS\","
                + "\"error\":null,\"changedAt\":\"" + java.time.Instant.now().plusSeconds(1) + "\"}";
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props)) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("reco.pipeline.events", run, event))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> histories.loads() > loads);
        assertEqualsTheDatabaseForEveryUser();
    }

    private void insertFeedback(int user, int movie, float rating) throws SQLException {
        try (Connection c = db.getConnection();
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

    private int anyMovie() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT min(\"movieId\") FROM raw.raw_movies");
                var rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
