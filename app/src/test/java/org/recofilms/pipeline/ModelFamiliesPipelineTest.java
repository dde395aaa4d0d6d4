package org.recofilms.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recofilms.pipeline.PipelineTestSupport.KEY;
import static org.recofilms.pipeline.PipelineTestSupport.awaitEnd;
import static org.recofilms.pipeline.PipelineTestSupport.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.registry.ModelRegistry;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.RunInfo;

/**
 * The model families through the same pipelines on the real PostgreSQL and Kafka broker: a training
 * request's family and parameters are validated (400s that name the parameter), travel with the run
 * to the worker, are trained, evaluated (the same metric names for every family), registered with
 * their family and parameters, promoted, and served by /recommend with the family named.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(ModelFamiliesPipelineTest.Profile.class)
class ModelFamiliesPipelineTest {

    static final String MODEL = "reco-films-families-test";

    /** A model name and data folder of their own: the app starts with no production model. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.security.operator-api-key", KEY,
                    "reco.registry.model-name", MODEL,
                    "reco.data.dir", "target/test-data/families",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.seed-users", "200",
                    // the active user (40 ratings or more) is folded in on a worker thread, a lighter one on the
                    // event loop: both paths serve
                    "reco.serving.factor-offload-above", "39");
        }
    }

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelRegistry registry;

    @TempDir
    Path tmp;

    private static Response train(String body) {
        var request = given().header("X-API-Key", KEY);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        return request.post("/pipelines/training");
    }

    @Test
    void badTrainingRequestsAre400sThatNameTheParameter() {
        train("{\"family\": \"ease\", \"l2\": 0}")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"))
                .body("detail", equalTo("l2: must be greater than 0"));
        train("{\"family\": \"ease\", \"k_neighbors\": 20}")
                .then()
                .statusCode(400)
                .body("detail", containsString("unknown parameter 'k_neighbors' for family ease"))
                .body("detail", containsString("l2, top_k, min_ratings, positive_threshold"));
        train("{\"family\": \"bpr\"}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("unknown family 'bpr'; families: itemknn, rp3beta, ease, ials"));
        train("{\"family\": \"ials\", \"factors\": 2.5}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("factors: must be an integer, got '2.5'"));
        train("{\"family\": \"ials\", \"factors\": 0, \"iterations\": 5000}")
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        equalTo("factors: must be greater than or equal to 1;"
                                + " iterations: must be less than or equal to 1000"));
        train("{\"family\": \"rp3beta\", \"alpha\": {\"x\": 1}}")
                .then()
                .statusCode(400)
                .body("detail", containsString("'alpha' must be a number, a string or a boolean"));
        train("{\"k_neighbors\": \"Infinity\"}").then().statusCode(400).body("detail", containsString("k_neighbors"));
        train("[1]").then().statusCode(400);
        // the seed-compatible path takes the same body
        given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body("{\"family\": \"ease\", \"l2\": -1}")
                .post("/training")
                .then()
                .statusCode(400)
                .body("detail", equalTo("l2: must be greater than 0"));
    }

    @Test
    void easeAndIalsTrainRegisterPromoteAndServe() throws Exception {
        Path dir = tmp.resolve("ml");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(1515)
                        .ratings(40_000)
                        .users(300)
                        .movies(700)
                        .build(),
                dir);
        Response ingest = given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body("{\"source\": \"" + dir + "\"}")
                .post("/pipelines/ingestion");
        ingest.then().statusCode(202);
        JsonNode ingested = awaitEnd(json, ingest.jsonPath().getString("run_id"), Duration.ofSeconds(120));
        assertEquals("SUCCESS", ingested.get("status").asText(), ingested.toString());

        // EASE: the first model of this name, promoted by the champion/challenger rule
        Response ease = train("{\"family\": \"ease\", \"l2\": 50, \"min_ratings\": 5, \"top_k\": 50}");
        ease.then()
                .statusCode(202)
                .body("params.family", equalTo("ease"))
                .body("params.l2", equalTo("50.0"))
                .body("params.top_k", equalTo("50"));
        JsonNode easeRun = awaitEnd(json, ease.jsonPath().getString("run_id"), Duration.ofSeconds(180));
        assertEquals("SUCCESS", easeRun.get("status").asText(), easeRun.toString());
        JsonNode easePromotion = step(easeRun, "promotion").get("detail");
        assertTrue(easePromotion.get("promoted").asBoolean(), easePromotion.toString());
        int easeVersion = easePromotion.get("version").asInt();
        ModelVersion easeRegistered =
                registry.getModelVersion(MODEL, easeVersion).orElseThrow();
        assertEquals("ease", easeRegistered.tags().get("family"));
        RunInfo easeInfo = registry.getRun(easeRegistered.runId());
        assertTrue(easeInfo.runName().startsWith("train_ease__l2_50.0_k50__"), easeInfo.runName());
        assertEquals("ease", easeInfo.params().get("family"));
        assertEquals("50.0", easeInfo.params().get("l2"));
        assertEquals("5", easeInfo.params().get("min_ratings"));
        assertMetricsOfEveryFamily(easeInfo.metrics());

        awaitServing(easeVersion, "ease");
        given().get("/model/metadata").then().body("params.l2", equalTo("50.0")).body("tags.family", equalTo("ease"));
        int user = activeUser();
        assertServes(user, "ease", "item_cf");

        // iALS: registered with its own artifacts, promoted by an operator, served by fold-in
        Response ials = train("{\"family\": \"ials\", \"factors\": 16, \"iterations\": 4, \"alpha\": 5}");
        ials.then().statusCode(202).body("params.family", equalTo("ials"));
        JsonNode ialsRun = awaitEnd(json, ials.jsonPath().getString("run_id"), Duration.ofSeconds(180));
        assertEquals("SUCCESS", ialsRun.get("status").asText(), ialsRun.toString());
        JsonNode ialsPromotion = step(ialsRun, "promotion").get("detail");
        int ialsVersion = ialsPromotion.get("version").asInt();
        assertTrue(ialsVersion > easeVersion);
        ModelVersion ialsRegistered =
                registry.getModelVersion(MODEL, ialsVersion).orElseThrow();
        assertEquals("ials", ialsRegistered.tags().get("family"));
        RunInfo ialsInfo = registry.getRun(ialsRegistered.runId());
        assertTrue(ialsInfo.runName().startsWith("train_ials__f16_i4__"), ialsInfo.runName());
        assertEquals("16", ialsInfo.params().get("factors"));
        assertEquals("5.0", ialsInfo.params().get("alpha"));
        assertMetricsOfEveryFamily(ialsInfo.metrics());
        assertTrue(registry.listArtifacts(ialsRegistered.runId()).contains("model/factors.bin"));
        // the seed's score decides between the two families, as between two item-kNN versions
        assertEquals(
                ialsPromotion.get("promoted").asBoolean(),
                ialsPromotion.get("serving_version").asInt() == ialsVersion,
                ialsPromotion.toString());
        if (!ialsPromotion.get("promoted").asBoolean()) {
            given().header("X-API-Key", KEY)
                    .contentType("application/json")
                    .body("{\"version\": " + ialsVersion + ", \"reason\": \"families test\"}")
                    .post("/model/promote")
                    .then()
                    .statusCode(200);
        }
        awaitServing(ialsVersion, "ials");
        given().get("/model/metadata").then().body("params.factors", equalTo("16"));
        assertServes(user, "ials", "matrix_factorization");
        assertServes(activeUser(20, 39), "ials", "matrix_factorization");
        // a movie's neighbours come from item-item models only
        int rated = ratingsOf(user).keySet().iterator().next();
        given().get("/movies/" + rated + "/similar").then().statusCode(200).body("similar.size()", equalTo(0));
    }

    /** Every family reports the seed protocol's, the full-ranking protocol's and the catalogue metrics. */
    private static void assertMetricsOfEveryFamily(Map<String, Double> metrics) {
        for (String name : List.of(
                "precision_10",
                "recall_10",
                "ndcg_10",
                "full_ndcg_100",
                "full_recall_20",
                "full_coverage_20",
                "toppop_full_ndcg_100",
                "catalogue_share")) {
            assertTrue(metrics.containsKey(name), name + " in " + metrics.keySet());
        }
        assertTrue(metrics.get("ndcg_10") > 0, metrics.toString());
        assertTrue(metrics.get("full_ndcg_100") > 0, metrics.toString());
        double share = metrics.get("catalogue_share");
        assertTrue(share > 0 && share <= 1, metrics.toString());
    }

    private static void awaitServing(int version, String family) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/model/metadata")
                        .then()
                        .body("status", equalTo("serving"))
                        .body("version", equalTo(version))
                        .body("family", equalTo(family))
                        .body("params.family", equalTo(family)));
    }

    /** The user's answer comes from the family, personal, with no seen movie; because lists rated movies. */
    private void assertServes(int user, String family, String strategy) throws Exception {
        Map<Integer, Float> rated = ratingsOf(user);
        JsonPath answer = given().queryParam("user_id", user)
                .queryParam("top_n", 20)
                .get("/recommend")
                .then()
                .statusCode(200)
                .body("family", equalTo(family))
                .body("strategy", equalTo(strategy))
                .body("reason", equalTo(null))
                .body("recommendations.size()", equalTo(20))
                .extract()
                .jsonPath();
        List<Integer> movies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String item = "recommendations[" + i + "].";
            int movie = answer.getInt(item + "movie_id");
            assertFalse(rated.containsKey(movie), family + " recommended the seen movie " + movie);
            movies.add(movie);
            List<Integer> because = answer.getList(item + "because", Integer.class);
            assertTrue(rated.keySet().containsAll(because), "because lists rated movies: " + because);
        }
        assertEquals(20, movies.stream().distinct().count(), movies.toString());
        assertFalse(answer.getList("recommendations[0].because").isEmpty(), answer.prettify());
    }

    private int activeUser() throws Exception {
        return activeUser(40, Integer.MAX_VALUE);
    }

    /** The first user with {@code min..max} ratings, one of them 4 or more. */
    private int activeUser(int min, int max) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT \"userId\" FROM raw.current_ratings GROUP BY"
                        + " \"userId\" HAVING count(*) BETWEEN ? AND ? AND max(rating) >= 4 ORDER BY \"userId\""
                        + " LIMIT 1")) {
            s.setInt(1, min);
            s.setInt(2, max);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "a user with " + min + " to " + max + " ratings");
                return r.getInt(1);
            }
        }
    }

    private Map<Integer, Float> ratingsOf(int user) throws Exception {
        Map<Integer, Float> rated = new HashMap<>();
        try (Connection c = dataSource.getConnection();
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
}
