package org.recofilms.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RealServicesResource;

/** {@code reco.role=worker}: pipelines and scheduler; over HTTP only health and metrics. */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(WorkerRoleTest.Worker.class)
class WorkerRoleTest {

    public static class Worker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reco.role", "worker");
        }
    }

    @Inject
    Scheduler scheduler;

    @Test
    void servesHealthAndMetricsOnlyAnd404JsonElsewhere() {
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health").then().statusCode(200));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("reco_readiness_up"));
        for (String path : new String[] {"/recommend?user_id=1", "/movies/popular", "/model/metadata", "/", "/docs"}) {
            given().get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/json")
                    .body("error", equalTo("not_found"));
        }
        given().post("/pipelines/training").then().statusCode(404);
    }

    @Test
    void consumesPipelineRequestsAndRunsTheSchedulerButFollowsNoModelEvents() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> ConsumerGroups.members("reco-workers") > 0);
        assertEquals(0, ConsumerGroups.members("reco-api-"), "no model-events consumer");
        assertEquals(0, ConsumerGroups.members("reco-histories-"), "no user histories: no reco.ratings consumer");
        given().get("/ready").then().body("checks.histories.status", equalTo("disabled"));
        assertTrue(scheduler.isRunning(), "the scheduler runs");
    }
}
