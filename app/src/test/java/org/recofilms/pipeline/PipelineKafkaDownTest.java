package org.recofilms.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recofilms.pipeline.PipelineTestSupport.KEY;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recofilms.local.TestServices;

/**
 * The real PostgreSQL, and a Kafka bootstrap address nothing listens on: a trigger answers 503 and
 * its run is NOT_ENQUEUED, so it neither waits for a worker nor blocks the next trigger.
 */
@QuarkusTest
@TestProfile(PipelineKafkaDownTest.KafkaDown.class)
class PipelineKafkaDownTest {

    public static class KafkaDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(TestServices.postgresConfig());
            config.put("kafka.bootstrap.servers", "127.0.0.1:1");
            config.put("reco.security.operator-api-key", KEY);
            config.put("reco.pipeline.publish-timeout", "8s");
            config.put("quarkus.log.category.\"org.apache.kafka.clients\".level", "ERROR");
            return config;
        }
    }

    @Test
    void aTriggerAnswers503AndItsRunIsMarkedNotEnqueued() {
        Response first = given().header("X-API-Key", KEY).post("/pipelines/training");
        first.then()
                .statusCode(503)
                .body("error", equalTo("service_unavailable"))
                .body("detail", containsString("not enqueued"));
        String runId = first.jsonPath().getString("detail").split(" ")[1];

        given().get("/pipelines/runs/" + runId)
                .then()
                .statusCode(200)
                .body("status", equalTo("NOT_ENQUEUED"))
                .body("kind", equalTo("training"))
                .body("error", containsString("Kafka"))
                .body("steps.status", equalTo(List.of("SKIPPED", "SKIPPED", "SKIPPED")));

        // nothing half-done: the next trigger is not answered with the first run
        Response second = given().header("X-API-Key", KEY).post("/training");
        assertEquals(503, second.statusCode());
        assertNotEquals(runId, second.jsonPath().getString("detail").split(" ")[1]);
        String metrics = given().get("/q/metrics").asString();
        assertTrue(
                metrics.contains("reco_pipeline_runs_total{kind=\"training\",status=\"not_enqueued\"} 2.0"), metrics);
    }
}
