package org.recofilms.serving;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.Paused;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestServices;
import org.recofilms.pipeline.TrainAndPromote;
import org.recofilms.serving.RatingsRepository.SubmittedRating;

/**
 * The real PostgreSQL and the real Kafka broker stalled with SIGSTOP (sockets open, nothing answers)
 * while the app serves: /recommend answers from memory as before (not degraded), a rating answers 503 and stores nothing, a
 * movie's details answer 503, /ready says the database is down (also when only the postmaster
 * stalls), and with the broker stalled a trigger answers 503 and a rating says why it was not
 * published. Every bound below is the configured deadline plus a generous margin.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(FaultInjectionTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {

    static final String KEY = "fault-injection-key";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.registry.model-name", "reco-films-itemcf-fault-test",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false",
                    "reco.security.operator-api-key", KEY,
                    "reco.serving.publish-timeout", "2s",
                    "reco.pipeline.publish-timeout", "3s");
        }
    }

    /** An id above every generated user's: ratings posted in the tests are this user's alone. */
    private static final int RATER = 91_000_001;

    /** The configured deadline (1 s) plus room for a loaded 2-core machine. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(3);

    /** The JDBC read timeout of requests (2 s) plus the same room. */
    private static final Duration JDBC_BOUND = Duration.ofSeconds(5);

    /** /ready's own deadline (2 s) plus the same room. */
    private static final Duration READY_BOUND = Duration.ofMillis(2500);

    private static boolean prepared;

    @Inject
    IngestionService ingestion;

    @Inject
    TrainAndPromote trainAndPromote;

    @Inject
    MovieCatalog catalog;

    @Inject
    RatingsRepository ratings;

    @Inject
    DataSource db;

    @BeforeEach
    void dataAndModel() throws Exception {
        if (prepared) {
            return;
        }
        Path dir = Files.createTempDirectory("fault-injection");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(777)
                        .ratings(15_000)
                        .users(150)
                        .movies(300)
                        .genomeMovies(100)
                        .build(),
                dir);
        IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), dir.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        TrainAndPromote.Result trained = trainAndPromote.run(UUID.randomUUID());
        assertTrue(trained.succeeded(), trained.error());
        int version = trained.version().orElseThrow().version();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/model/metadata")
                        .then()
                        .body("status", equalTo("serving"))
                        .body("version", equalTo(version)));
        catalog.refresh().await().atMost(Duration.ofSeconds(30));
        prepared = true;
    }

    @AfterEach
    void everythingAnswersAgain() {
        // the next test, and the next test class, find the services as they were
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/ready").then().statusCode(200));
    }

    @Test
    @Order(1)
    void withPostgresStalledRecommendationsAnswerFromMemoryOtherRequests503InTimeAndNothingIsStored() throws Exception {
        int user = activeUser();
        int movie = knownMovie();
        int userRatings =
                ratings.history(user).await().atMost(Duration.ofSeconds(10)).size();
        io.restassured.path.json.JsonPath before = given().queryParam("user_id", user)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("user_ratings", equalTo(userRatings))
                .body("reason", not(equalTo("degraded")))
                .extract()
                .jsonPath();
        warmPool();
        // a statement held up by the stall, with a deadline like the one a rating's upsert gets
        CompletableFuture<Boolean> heldUp;
        try (Paused paused = Paused.pause(TestServices.postgresPid(), true)) {
            assertTrue(paused.count() > 1, "the postmaster and its backends are stopped");
            heldUp = ratings.upsert(
                            RATER,
                            List.of(new SubmittedRating(movie + 1, 3.5f)),
                            Instant.now().getEpochSecond(),
                            Instant.now().plusMillis(750))
                    .subscribeAsCompletionStage();

            // the proof: /recommend reads no database, so a stalled one changes nothing in its answers
            for (int i = 0; i < 20; i++) {
                Response recommend = timed(
                        ANSWER_BOUND, () -> given().queryParam("user_id", user).get("/recommend"));
                recommend
                        .then()
                        .statusCode(200)
                        .body("strategy", equalTo(before.getString("strategy")))
                        .body("reason", equalTo(before.getString("reason")))
                        .body("user_ratings", equalTo(userRatings));
                assertEquals(
                        before.getList("recommendations.movie_id"),
                        recommend.jsonPath().getList("recommendations.movie_id"));
            }

            Response rating = timed(
                    ANSWER_BOUND,
                    () -> given().contentType("application/json")
                            .body("{\"movie_id\": " + movie + ", \"rating\": 4.5}")
                            .post("/users/" + RATER + "/ratings"));
            rating.then()
                    .statusCode(503)
                    .header("Retry-After", equalTo("2"))
                    .body("error", equalTo("database_unavailable"))
                    .body("detail", containsString("PostgreSQL"));

            timed(ANSWER_BOUND, () -> given().get("/movies/" + movie))
                    .then()
                    .statusCode(503)
                    .body("error", equalTo("database_unavailable"));

            // the JDBC paths of requests: reco.database.jdbc-request-timeout (2 s) plus the same room
            timed(JDBC_BOUND, () -> given().header("X-API-Key", KEY).post("/pipelines/monitoring"))
                    .then()
                    .statusCode(503)
                    .header("Retry-After", equalTo("2"))
                    .body("error", equalTo("database_unavailable"))
                    .body("detail", containsString("PostgreSQL did not answer while triggering a monitoring run"))
                    .body("detail", not(containsString("has been closed")))
                    .body("detail", not(containsString("null")));
            timed(JDBC_BOUND, () -> given().header("X-API-Key", KEY).get("/pipelines/runs"))
                    .then()
                    .statusCode(503)
                    .body("error", equalTo("database_unavailable"));

            timed(READY_BOUND, () -> given().get("/ready"))
                    .then()
                    .statusCode(503)
                    .body("checks.database.status", equalTo("down"))
                    .body("checks.database.detail", containsString("PostgreSQL"));
        }
        // resumed: the held-up statement runs now, after its deadline, and stores nothing
        assertFalse(heldUp.get(30, TimeUnit.SECONDS), "a statement run after its deadline stores nothing");
        assertEquals(0, feedbackRows(RATER), "no rating of the stall was stored");
        // and the next rating is stored as usual
        given().contentType("application/json")
                .body("{\"movie_id\": " + movie + ", \"rating\": 4.5}")
                .post("/users/" + RATER + "/ratings")
                .then()
                .statusCode(201)
                .body("published", equalTo(true))
                .body("publish_error", nullValue());
        assertEquals(1, feedbackRows(RATER));
        String metrics = given().get("/q/metrics").asString();
        assertTrue(
                metrics.lines().anyMatch(l -> l.equals("reco_recommendations_degraded_total 0.0")),
                "no answer was degraded: the user histories are in memory");
    }

    @Test
    @Order(2)
    void withOnlyThePostmasterStalledReadySaysTheDatabaseIsDown() {
        int movie = knownMovie();
        try (Paused paused = Paused.pause(TestServices.postgresPid(), false)) {
            assertEquals(1, paused.count());
            timed(READY_BOUND, () -> given().get("/ready"))
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("not_ready"))
                    .body("checks.database.status", equalTo("down"));
            // existing connections may still serve it; a new one cannot be made: an answer either way
            int status =
                    timed(ANSWER_BOUND, () -> given().get("/movies/" + movie)).statusCode();
            assertTrue(status == 200 || status == 503, "answered " + status);
        }
    }

    @Test
    @Order(3)
    void withKafkaStalledATriggerAnswers503AndARatingSaysWhyItWasNotPublished() throws Exception {
        int movie = knownMovie();
        int before = feedbackRows(RATER);
        try (Paused paused = Paused.pause(TestServices.kafkaPid(), false)) {
            // reco.readiness.timeout (2 s) plus the same room as the other bounds
            timed(Duration.ofSeconds(2 + 3), () -> given().get("/ready"))
                    .then()
                    .statusCode(503)
                    .body("checks.kafka.status", equalTo("down"))
                    .body("checks.database.status", equalTo("up"));

            Response trigger = timed(
                    Duration.ofSeconds(3 + 3),
                    () -> given().header("X-API-Key", KEY).post("/pipelines/monitoring"));
            trigger.then()
                    .statusCode(503)
                    .body("detail", containsString("not enqueued: Kafka did not take the request"))
                    .body("detail", not(containsString("null")));

            Response rating = timed(
                    Duration.ofSeconds(2 + 3),
                    () -> given().contentType("application/json")
                            .body("{\"movie_id\": " + (movie + 2) + ", \"rating\": 2.0}")
                            .post("/users/" + RATER + "/ratings"));
            rating.then()
                    .statusCode(201)
                    .body("published", equalTo(false))
                    .body("publish_error", containsString("stored but not published to Kafka: "))
                    .body("publish_error", containsString("Exception"))
                    .body("publish_error", not(containsString("null")));
        }
        assertEquals(before + 1, feedbackRows(RATER), "the rating is stored though not published");
    }

    /** Runs {@code request} and checks that it answered within {@code bound}. */
    private static Response timed(Duration bound, Supplier<Response> request) {
        long t0 = System.nanoTime();
        Response response = request.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[fault-injection] answered %d in %d ms%n", response.statusCode(), ms);
        assertTrue(ms < bound.toMillis(), "answered in " + ms + " ms, more than " + bound.toMillis());
        return response;
    }

    /** Opens a few pooled connections, so that a statement sent during the stall finds one idle. */
    private void warmPool() {
        List<Uni<UserRatings>> reads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            reads.add(ratings.history(i + 1));
        }
        Uni.join().all(reads).andFailFast().await().atMost(Duration.ofSeconds(10));
    }

    private int activeUser() {
        return queryInt("SELECT \"userId\" FROM raw.raw_ratings GROUP BY \"userId\""
                + " HAVING count(*) >= 20 ORDER BY \"userId\" LIMIT 1");
    }

    /** A movie with two more after it: the tests rate these three. */
    private int knownMovie() {
        return queryInt("SELECT m.\"movieId\" FROM raw.raw_movies m WHERE EXISTS (SELECT 1 FROM raw.raw_movies n"
                + " WHERE n.\"movieId\" = m.\"movieId\" + 1) AND EXISTS (SELECT 1 FROM raw.raw_movies n"
                + " WHERE n.\"movieId\" = m.\"movieId\" + 2) ORDER BY m.\"movieId\" LIMIT 1");
    }

    private int feedbackRows(int user) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM raw.feedback_ratings WHERE \"userId\" = ?")) {
            s.setInt(1, user);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private int queryInt(String sql) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            assertTrue(r.next(), sql);
            return r.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
