package org.recofilms.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recofilms.pipeline.PipelineTestSupport.KEY;
import static org.recofilms.pipeline.PipelineTestSupport.awaitEnd;
import static org.recofilms.pipeline.PipelineTestSupport.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealMlflowResource;
import org.recofilms.local.RealServicesResource;
import org.recofilms.registry.ModelRegistry;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.RunInfo;

/**
 * The tuning pipeline on the real PostgreSQL, Kafka broker and MLflow server: a tuning request is validated (400s
 * that name the field), travels to the worker, searches on the validation users only (each trial a child MLflow run
 * of one parent run, carrying only {@code val_} metrics), then the best trial's parameters are trained on all the
 * data, evaluated on the test users, registered and promoted.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@WithTestResource(RealMlflowResource.class)
@TestProfile(TuningPipelineTest.Profile.class)
class TuningPipelineTest {

    static final String MODEL = "reco-films-tuning-test";
    static final String EXPERIMENT = "reco-films/tuning-test";

    /** A model name, experiment and data folder of their own. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.security.operator-api-key", KEY,
                    "reco.registry.model-name", MODEL,
                    "reco.registry.experiment", EXPERIMENT,
                    "reco.data.dir", "target/test-data/tuning",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.seed-users", "200",
                    "reco.tuning.max-trials", "20");
        }
    }

    @Inject
    ObjectMapper json;

    @Inject
    ModelRegistry registry;

    @ConfigProperty(name = "reco.mlflow.tracking-uri")
    String trackingUri;

    @TempDir
    Path tmp;

    private static Response tune(String body) {
        return given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body(body)
                .post("/pipelines/tuning");
    }

    @Test
    void badTuningRequestsAre400sThatNameTheField() {
        tune("{\"family\": \"ease\", \"trials\": 0}")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"))
                .body("detail", equalTo("trials: must be between 1 and 20, got 0"));
        tune("{\"family\": \"ease\", \"trials\": 21}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("trials: must be between 1 and 20, got 21"));
        tune("{\"family\": \"ease\", \"trials\": 2.5}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("trials: must be an integer, got '2.5'"));
        tune("{\"family\": \"ease\", \"strategy\": \"bayes\"}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("strategy: one of grid, random, got 'bayes'"));
        tune("{\"family\": \"ease\", \"space\": {\"l2\": {\"min\": 0, \"max\": 10}}}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("space: l2: a log range needs min > 0, got 0.0"));
        tune("{\"family\": \"ease\", \"space\": {\"k_neighbors\": [10, 20]}}")
                .then()
                .statusCode(400)
                .body("detail", containsString("space: a trial"))
                .body("detail", containsString("unknown parameter 'k_neighbors' for family ease"));
        tune("{\"family\": \"ease\", \"space\": {\"top_k\": {\"min\": 10, \"max\": 100}}}")
                .then()
                .statusCode(400)
                .body("detail", containsString("top_k: must be an integer"));
        tune("{\"family\": \"ease\", \"params\": {\"l2\": 100}}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("params.l2: searched by the space; give it in one of space and params"));
        tune("{\"family\": \"ease\", \"params\": {\"top_k\": 0}}")
                .then()
                .statusCode(400)
                .body("detail", equalTo("top_k: must be greater than or equal to 1"));
        tune("{\"family\": \"ease\", \"budget\": 3}")
                .then()
                .statusCode(400)
                .body("detail", containsString("unknown field 'budget'"));
        tune("{\"family\": \"bpr\"}").then().statusCode(400).body("detail", containsString("unknown family 'bpr'"));
        given().contentType("application/json")
                .body("{}")
                .post("/pipelines/tuning")
                .then()
                .statusCode(401);
    }

    @Test
    void theSearchScoresOnlyValidationUsersAndTheBestIsRegistered() throws Exception {
        Path dir = tmp.resolve("ml");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(1516)
                        .ratings(30_000)
                        .users(300)
                        .movies(500)
                        .build(),
                dir);
        Response ingest = given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body("{\"source\": \"" + dir + "\"}")
                .post("/pipelines/ingestion");
        ingest.then().statusCode(202);
        JsonNode ingested = awaitEnd(json, ingest.jsonPath().getString("run_id"), Duration.ofSeconds(120));
        assertEquals("SUCCESS", ingested.get("status").asText(), ingested.toString());

        // a grid of 3 l2 values, spread far enough apart that they score differently
        Response tuning = tune(
                "{\"family\": \"ease\", \"strategy\": \"grid\", \"trials\": 3,"
                        + " \"space\": {\"l2\": {\"min\": 5, \"max\": 5000}}, \"params\": {\"min_ratings\": 3, \"top_k\": 50}}");
        tuning.then()
                .statusCode(202)
                .body("kind", equalTo("tuning"))
                .body("params.family", equalTo("ease"))
                .body("params.strategy", equalTo("grid"))
                .body("params.trials", equalTo("3"))
                .body("params.top_k", equalTo("50"));
        JsonNode run = awaitEnd(json, tuning.jsonPath().getString("run_id"), Duration.ofSeconds(240));
        assertEquals("SUCCESS", run.get("status").asText(), run.toString());
        for (String name : List.of("snapshot", "tuning", "training", "promotion")) {
            assertEquals("SUCCESS", step(run, name).get("status").asText(), name + ": " + run);
        }

        JsonNode searched = step(run, "tuning").get("detail");
        assertEquals(3, searched.get("trials").asInt(), searched.toString());
        // every evaluation of the search scored the validation users, none the test users
        assertEquals("[\"VALIDATION\"]", searched.get("users_scored").toString(), searched.toString());
        assertTrue(searched.get("validation_users").asInt() > 0, searched.toString());
        String parent = searched.get("parent_run_id").asText();
        List<String> children = new ArrayList<>();
        searched.get("child_run_ids").forEach(c -> children.add(c.asText()));
        assertEquals(3, children.size(), searched.toString());

        // one child run per trial, each nested under the parent, with validation metrics only
        Set<String> l2s = new HashSet<>();
        double bestValue = Double.NEGATIVE_INFINITY;
        RunInfo bestChild = null;
        for (String child : children) {
            RunInfo info = registry.getRun(child);
            assertEquals(parent, info.tags().get("parent_run_id"), info.toString());
            assertEquals("FINISHED", info.status(), info.toString());
            assertEquals("ease", info.params().get("family"));
            assertEquals("50", info.params().get("top_k"));
            assertTrue(
                    info.metrics().containsKey("val_full_ndcg_100"),
                    info.metrics().toString());
            assertTrue(
                    info.metrics().containsKey("val_full_ndcg_100_se"),
                    info.metrics().toString());
            for (String metric : info.metrics().keySet()) {
                assertTrue(metric.startsWith("val_"), "a trial logged " + metric + ": " + info.metrics());
            }
            l2s.add(info.params().get("l2"));
            if (info.metrics().get("val_full_ndcg_100") > bestValue) {
                bestValue = info.metrics().get("val_full_ndcg_100");
                bestChild = info;
            }
        }
        assertEquals(3, l2s.size(), "three grid points: " + l2s);
        assertTrue(bestValue > 0, "the best trial found something: " + bestValue);

        // MLflow itself finds the three trials as the parent's children
        JsonNode experiment = json.readTree(given().baseUri(trackingUri)
                .queryParam("experiment_name", EXPERIMENT)
                .get("/api/2.0/mlflow/experiments/get-by-name")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode found = json.readTree(given().baseUri(trackingUri)
                .contentType("application/json")
                .body(Map.of(
                        "experiment_ids",
                        List.of(experiment
                                .path("experiment")
                                .path("experiment_id")
                                .asText()),
                        "filter",
                        "tags.mlflow.parentRunId = '" + parent + "'"))
                .post("/api/2.0/mlflow/runs/search")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(3, found.path("runs").size(), found.toString());

        RunInfo parentRun = registry.getRun(parent);
        assertTrue(parentRun.runName().startsWith("tune_ease__"), parentRun.runName());
        assertEquals("FINISHED", parentRun.status(), parentRun.toString());
        assertEquals("ease", parentRun.params().get("family"));
        assertEquals("grid", parentRun.params().get("strategy"));
        assertEquals("3", parentRun.params().get("trials"));
        assertEquals("42", parentRun.params().get("seed"));
        assertEquals("{\"l2\":{\"min\":5,\"max\":5000}}", parentRun.params().get("space"));
        assertEquals(bestValue, parentRun.metrics().get("best_val_full_ndcg_100"), 1e-12);
        assertEquals(bestChild.runId(), parentRun.tags().get("best_child_run_id"));
        assertEquals(bestChild.tags().get("trial"), parentRun.tags().get("best_trial"));

        // the best trial's parameters trained on all the data, scored on the test users, registered
        JsonNode promotion = step(run, "promotion").get("detail");
        int version = promotion.get("version").asInt();
        assertEquals(Integer.toString(version), parentRun.tags().get("model_version"));
        ModelVersion registered = registry.getModelVersion(MODEL, version).orElseThrow();
        RunInfo trained = registry.getRun(registered.runId());
        assertEquals("ease", trained.params().get("family"));
        for (String param : List.of("l2", "top_k", "min_ratings", "positive_threshold")) {
            assertEquals(bestChild.params().get(param), trained.params().get(param), param);
        }
        assertTrue(
                trained.metrics().containsKey("full_ndcg_100"),
                trained.metrics().toString());
        assertTrue(trained.metrics().get("full_ndcg_100") > 0, trained.metrics().toString());
        assertTrue(promotion.get("promoted").asBoolean(), "the first model of its name: " + promotion);
    }
}
