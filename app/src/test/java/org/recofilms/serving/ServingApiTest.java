package org.recofilms.serving;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
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
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestServices;
import org.recofilms.pipeline.TrainAndPromote;
import org.recofilms.platform.Topics;

/**
 * The serving API end to end on the real PostgreSQL and Kafka: generated data ingested, a model
 * trained, published to the built-in registry and promoted, then every endpoint, the bad parameters,
 * real-time ratings (durable, published, reflected at once) and the metrics.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(ServingApiTest.OwnModel.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingApiTest {

    /** A model name of its own, so that the app starts with no production model. */
    public static class OwnModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.registry.model-name", "reco-films-itemcf-serving-test",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false");
        }
    }

    /** Ids far above the generated users': nobody has rated anything yet. */
    private static final int NEW_USER = 90_000_001;

    private static final int UNKNOWN_USER = 90_000_002;

    @Inject
    IngestionService ingestion;

    @Inject
    TrainAndPromote trainAndPromote;

    @Inject
    MovieCatalog catalog;

    @Inject
    DataSource db;

    @Inject
    ObjectMapper json;

    @Inject
    RecommendationService recommendations;

    @Inject
    RecommendationWriter.EncodedStrings encodedByTheWriter;

    @Test
    @Order(1)
    void beforeAnyModelThePopularityListOfTheDatabaseAnswers() throws Exception {
        Path dir = Files.createTempDirectory("serving-api");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(4242)
                        .ratings(40_000)
                        .users(300)
                        .movies(600)
                        .build(),
                dir);
        IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), dir.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        catalog.refresh().await().atMost(Duration.ofSeconds(30));

        given().get("/model/metadata").then().body("status", equalTo("fallback"));
        int user = activeUser();
        JsonPath answer = given().queryParam("user_id", user)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("popularity"))
                .body("reason", equalTo("no_model"))
                .body("model_version", nullValue())
                .extract()
                .jsonPath();
        // the database's popularity list may still be empty here (no training yet): never an error
        assertTrue(answer.getList("recommendations").size() <= 10);
    }

    @Test
    @Order(2)
    void aPromotedModelIsServedAndRecommendsUnseenMoviesWithReasons() throws Exception {
        TrainAndPromote.Result result = trainAndPromote.run(UUID.randomUUID());
        assertTrue(result.succeeded(), result.error());
        int version = result.version().orElseThrow().version();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/model/metadata")
                        .then()
                        .body("status", equalTo("serving"))
                        .body("version", equalTo(version)));
        catalog.refresh().await().atMost(Duration.ofSeconds(30));

        int user = activeUser();
        Map<Integer, Float> rated = ratingsOf(user);
        JsonPath answer = given().queryParam("user_id", user)
                .queryParam("top_n", 15)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("user_id", equalTo(user))
                .body("strategy", equalTo("item_cf"))
                .body("reason", nullValue())
                .body("model_version", equalTo(Integer.toString(version)))
                .body("user_ratings", equalTo(rated.size()))
                .body("recommendations", hasSize(15))
                .extract()
                .jsonPath();
        Set<Integer> anchors = new HashSet<>();
        rated.forEach((movie, rating) -> {
            if (rating >= 4.0f) {
                anchors.add(movie);
            }
        });
        double previous = Double.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            String item = "recommendations[" + i + "].";
            int movie = answer.getInt(item + "movie_id");
            assertFalse(rated.containsKey(movie), "seen movie " + movie + " recommended");
            assertNotNull(answer.getString(item + "title"));
            double score = answer.getDouble(item + "score");
            assertTrue(score > 0 && score <= previous, "scores descend: " + score + " after " + previous);
            previous = score;
            List<Integer> because = answer.getList(item + "because", Integer.class);
            assertFalse(because.isEmpty());
            assertTrue(because.size() <= Recommender.BECAUSE);
            assertTrue(anchors.containsAll(because), "because lists the user's liked movies: " + because);
            assertEquals(because.size(), answer.getList(item + "because_titles").size());
        }
        // RecommendationWriter writes the answer: the very bytes the app's ObjectMapper writes for it
        io.restassured.response.Response raw =
                given().queryParam("user_id", user).queryParam("top_n", 15).get("/recommend");
        assertEquals("application/json", raw.contentType().split(";")[0].trim());
        RecommendationService.Answer expected =
                recommendations.recommend(user, 15).await().atMost(Duration.ofSeconds(5));
        assertEquals(json.writeValueAsString(expected), raw.asString());
        assertTrue(encodedByTheWriter.size() > 0, "the writer encoded the titles");
    }

    @Test
    @Order(3)
    void unknownUsersAndFewRatingsGetPopularityAndBadParametersAre400() {
        given().queryParam("user_id", UNKNOWN_USER)
                .queryParam("top_n", 5)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("strategy", equalTo("popularity"))
                .body("reason", equalTo("unknown_user"))
                .body("recommendations", hasSize(5))
                .body("recommendations[0].title", notNullValue());
        for (String query : List.of(
                "top_n=5",
                "user_id=abc",
                "user_id=0",
                "user_id=-3",
                "user_id=99999999999",
                "user_id=1&top_n=0",
                "user_id=1&top_n=101",
                "user_id=1&top_n=ten",
                // U+0661 ARABIC-INDIC DIGIT ONE and a plus sign: Long.parseLong takes both, ids are ASCII digits
                "user_id=%D9%A1",
                "user_id=%2B1",
                "user_id=%201",
                "user_id=1&user_id=2",
                "user_id=1&top_n=")) {
            given().urlEncodingEnabled(false)
                    .get("/recommend?" + query)
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("bad_request"))
                    .body("detail", notNullValue());
        }
        given().get("/recommend?user_id=1&top_n=0").then().body("detail", containsString("top_n"));
        given().get("/recommend?user_id=abc").then().body("detail", containsString("user_id"));
        given().urlEncodingEnabled(false)
                .get("/recommend?user_id=%D9%A1")
                .then()
                .body("detail", equalTo("user_id must be an integer from 1 to 2147483647, got '\u0661'"));
    }

    @Test
    @Order(4)
    void aNewUserWhoRatesFiveMoviesGetsPersonalRecommendationsAtOnceAndTheRatingsArePublished() throws Exception {
        List<Integer> popular = given().queryParam("limit", 30)
                .get("/movies/popular")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("movies.movie_id", Integer.class);
        try (KafkaConsumer<String, String> ratings = consumer(Topics.RATINGS)) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 4; i++) {
                body.append(i == 0 ? "" : ",")
                        .append("{\"movie_id\":")
                        .append(popular.get(i))
                        .append(",\"rating\":5}");
            }
            given().contentType("application/json")
                    .body(body.append("]").toString())
                    .post("/users/" + NEW_USER + "/ratings")
                    .then()
                    .statusCode(201)
                    .body("user_id", equalTo(NEW_USER))
                    .body("stored", hasSize(4))
                    .body("published", equalTo(true));
            // four ratings: still popularity, without the rated movies
            JsonPath four = given().queryParam("user_id", NEW_USER)
                    .get("/recommend")
                    .then()
                    .body("strategy", equalTo("popularity"))
                    .body("reason", equalTo("few_ratings"))
                    .extract()
                    .jsonPath();
            assertTrue(
                    four.getList("recommendations.movie_id", Integer.class).stream()
                            .noneMatch(popular.subList(0, 4)::contains),
                    "rated movies are not recommended");
            // the fifth rating makes the user a known one, with no retraining
            given().contentType("application/json")
                    .body("{\"movie_id\":" + popular.get(4) + ",\"rating\":4.5}")
                    .post("/users/" + NEW_USER + "/ratings")
                    .then()
                    .statusCode(201)
                    .body("stored[0].movie_id", equalTo(popular.get(4)))
                    .body("stored[0].rating", equalTo(4.5f));
            JsonPath five = given().queryParam("user_id", NEW_USER)
                    .queryParam("top_n", 20)
                    .get("/recommend")
                    .then()
                    .statusCode(200)
                    .body("strategy", equalTo("item_cf"))
                    .body("user_ratings", equalTo(5))
                    .extract()
                    .jsonPath();
            List<Integer> recommended = five.getList("recommendations.movie_id", Integer.class);
            assertFalse(recommended.isEmpty());
            assertTrue(recommended.stream().noneMatch(popular.subList(0, 5)::contains));

            // rating a recommended movie removes it from the next answer
            int watched = recommended.get(0);
            given().contentType("application/json")
                    .body("{\"movie_id\":" + watched + ",\"rating\":3}")
                    .post("/users/" + NEW_USER + "/ratings")
                    .then()
                    .statusCode(201);
            assertFalse(given().queryParam("user_id", NEW_USER)
                    .queryParam("top_n", 20)
                    .get("/recommend")
                    .jsonPath()
                    .getList("recommendations.movie_id", Integer.class)
                    .contains(watched));
            assertEquals(6, ratingsOf(NEW_USER).size());

            // every stored rating was published, keyed by the user
            List<JsonNode> published = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, String> r : ratings.poll(Duration.ofMillis(300))) {
                    assertEquals(Integer.toString(NEW_USER), r.key());
                    published.add(json.readTree(r.value()));
                }
                return published.size() >= 6;
            });
            JsonNode fifth = published.get(4);
            assertEquals(NEW_USER, fifth.get("userId").asInt());
            assertEquals(popular.get(4).intValue(), fifth.get("movieId").asInt());
            assertEquals(4.5, fifth.get("rating").asDouble());
            assertTrue(fifth.get("timestamp").asLong() > 1_600_000_000L);
        }
    }

    @Test
    @Order(5)
    void badRatingsAreRefusedWithAMessageAndStoreNothing() throws Exception {
        int known =
                given().queryParam("limit", 1).get("/movies/popular").jsonPath().getInt("movies[0].movie_id");
        int before = ratingsOf(NEW_USER).size();
        Map<String, String> bad = Map.of(
                "{\"movie_id\":" + known + ",\"rating\":4.3}",
                "half steps",
                "{\"movie_id\":" + known + ",\"rating\":0}",
                "0.5 to 5.0",
                "{\"movie_id\":" + known + ",\"rating\":5.5}",
                "0.5 to 5.0",
                "{\"movie_id\":" + known + ",\"rating\":\"4\"}",
                "rating must be a number",
                "{\"movie_id\":\"x\",\"rating\":4}",
                "movie_id",
                "[{\"movie_id\":" + known + ",\"rating\":4},{\"movie_id\":" + known + ",\"rating\":3}]",
                "ratings[1]: movie_id " + known + " is rated twice",
                "{\"movie_id\":" + known + ",",
                "not JSON",
                "[]",
                "empty");
        bad.forEach((body, message) -> given().contentType("application/json")
                .body(body)
                .post("/users/" + NEW_USER + "/ratings")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"))
                .body("detail", containsString(message)));
        // a movie not in the catalogue is a resource that is not there: 404, and nothing stored
        given().contentType("application/json")
                .body("[{\"movie_id\":" + known + ",\"rating\":4},{\"movie_id\":999999999,\"rating\":4}]")
                .post("/users/" + NEW_USER + "/ratings")
                .then()
                .statusCode(404)
                .body("error", equalTo("not_found"))
                .body("detail", containsString("unknown movie_id: [999999999]"));
        given().contentType("application/json")
                .body("{\"movie_id\":" + known + ",\"rating\":4}")
                .post("/users/abc/ratings")
                .then()
                .statusCode(400);
        // the valid first half of a refused list was not stored either
        assertEquals(before, ratingsOf(NEW_USER).size());
    }

    @Test
    @Order(6)
    void aNewRatingOfAMovieLensMovieReplacesItForTheNextAnswer() throws Exception {
        int user = activeUser();
        Map<Integer, Float> before = ratingsOf(user);
        JsonPath first = given().queryParam("user_id", user)
                .queryParam("top_n", 20)
                .get("/recommend")
                .jsonPath();
        int liked = first.getList("recommendations[0].because", Integer.class).get(0);
        assertTrue(before.get(liked) >= 4.0f);
        given().contentType("application/json")
                .body("{\"movie_id\":" + liked + ",\"rating\":0.5}")
                .post("/users/" + user + "/ratings")
                .then()
                .statusCode(201);
        JsonPath after = given().queryParam("user_id", user)
                .queryParam("top_n", 20)
                .get("/recommend")
                .then()
                .body("strategy", equalTo("item_cf"))
                .body("user_ratings", equalTo(before.size()))
                .extract()
                .jsonPath();
        for (int i = 0; i < after.getList("recommendations").size(); i++) {
            assertFalse(
                    after.getList("recommendations[" + i + "].because", Integer.class)
                            .contains(liked),
                    "a movie now rated 0.5 is no longer an anchor");
        }
        assertEquals(0.5f, ratingsOf(user).get(liked));
    }

    @Test
    @Order(7)
    void moviesPopularDetailsSimilarAndSearch() {
        JsonPath popular = given().queryParam("limit", 5)
                .get("/movies/popular")
                .then()
                .statusCode(200)
                .body("movies", hasSize(5))
                .body("model_version", notNullValue())
                .extract()
                .jsonPath();
        for (int i = 1; i < 5; i++) {
            assertTrue(popular.getDouble("movies[" + i + "].bayes_score")
                    <= popular.getDouble("movies[" + (i - 1) + "].bayes_score"));
        }
        int top = popular.getInt("movies[0].movie_id");
        assertTrue(popular.getInt("movies[0].n_ratings") > 0);
        given().get("/movies/popular?limit=0").then().statusCode(400);
        given().get("/movies/popular?limit=500").then().statusCode(400);

        String title = popular.getString("movies[0].title");
        given().get("/movies/" + top)
                .then()
                .statusCode(200)
                .body("movie_id", equalTo(top))
                .body("title", equalTo(title))
                .body("genres", notNullValue())
                .body("imdb_id", notNullValue())
                .body("stats.n_ratings", org.hamcrest.Matchers.greaterThan(0))
                .body("stats.mean_rating", notNullValue())
                .body("stats.bayes_score", notNullValue())
                .body("top_tags.size()", org.hamcrest.Matchers.lessThanOrEqualTo(10));
        given().get("/movies/999999999").then().statusCode(404).body("error", equalTo("not_found"));
        given().get("/movies/abc").then().statusCode(400).body("detail", containsString("movie_id"));

        JsonPath similar = given().queryParam("limit", 5)
                .get("/movies/" + top + "/similar")
                .then()
                .statusCode(200)
                .body("movie_id", equalTo(top))
                .body("model_version", notNullValue())
                .extract()
                .jsonPath();
        List<Float> sims = similar.getList("similar.similarity", Float.class);
        assertFalse(sims.isEmpty());
        assertTrue(sims.size() <= 5);
        for (int i = 1; i < sims.size(); i++) {
            assertTrue(sims.get(i) <= sims.get(i - 1));
        }
        assertFalse(similar.getList("similar.movie_id", Integer.class).contains(top));
        given().get("/movies/999999999/similar").then().statusCode(404);
        given().get("/movies/" + top + "/similar?limit=-1").then().statusCode(400);

        String word = title.split(" ")[0];
        JsonPath found = given().queryParam("q", word.toUpperCase())
                .get("/movies/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(found.getList("movies.movie_id", Integer.class).contains(top)
                || found.getList("movies").size() == 10);
        given().get("/movies/search").then().statusCode(400);
    }

    @Test
    @Order(8)
    void theServingMetricsAreExposed() {
        given().queryParam("user_id", activeUser()).get("/recommend").then().statusCode(200);
        given().get("/movies/1/similar");
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : List.of(
                "reco_recommendations_total{strategy=\"item_cf\"}",
                "reco_recommendations_total{strategy=\"popularity\"}",
                "reco_recommend_fallbacks_total{reason=\"unknown_user\"}",
                "reco_recommend_fallbacks_total{reason=\"few_ratings\"}",
                "reco_recommend_fallbacks_total{reason=\"no_model\"}",
                "reco_recommend_fallbacks_total{reason=\"no_candidate\"}",
                "reco_recommend_fallbacks_total{reason=\"degraded\"}",
                "reco_recommendations_degraded_total ",
                "reco_recommend_score_bucket{le=\"1.0\"}",
                "reco_model_version ",
                "reco_model_loaded_at ",
                "reco_ratings_submitted_total ")) {
            assertTrue(metrics.contains(series), "missing " + series);
        }
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket")
                                && l.contains("uri=\"/recommend\"")
                                && l.contains("le=\"0.005\"")),
                "a latency histogram for /recommend with a 5 ms bucket");
        assertTrue(metrics.lines()
                .anyMatch(l -> l.startsWith("http_server_requests_seconds_count")
                        && l.contains("uri=\"/movies/{movie_id}/similar\"")));
    }

    /** A user of the generated data with many ratings, at least one of them liked. */
    private int activeUser() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT \"userId\" FROM raw.raw_ratings GROUP BY \"userId\""
                        + " HAVING count(*) >= 40 AND max(rating) >= 4 ORDER BY \"userId\" LIMIT 1");
                ResultSet r = s.executeQuery()) {
            assertTrue(r.next());
            return r.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private Map<Integer, Float> ratingsOf(int user) throws java.sql.SQLException {
        Map<Integer, Float> rated = new java.util.HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT \"movieId\", rating FROM raw.current_ratings WHERE \"userId\" = ?")) {
            s.setInt(1, user);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rated.put(r.getInt(1), r.getFloat(2));
                }
            }
        }
        return rated;
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "serving-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before anything is sent
        return consumer;
    }
}
