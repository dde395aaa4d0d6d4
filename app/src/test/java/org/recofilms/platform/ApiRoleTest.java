package org.recofilms.platform;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

/** {@code reco.role=api}: HTTP and the model events; no pipeline worker, no scheduler. */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(ApiRoleTest.Api.class)
class ApiRoleTest {

    public static class Api implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reco.role", "api");
        }
    }

    @Inject
    Scheduler scheduler;

    @Inject
    SchemaGate schemaGate;

    @Test
    void runsNoFlywayAtStartAndItsSchemaGateFindsTheSchemaUpToDate() {
        assertFalse(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.flyway.migrate-at-start", Boolean.class));
        org.junit.jupiter.api.Assertions.assertNull(schemaGate.behind());
    }

    @Test
    void servesTheApi() {
        given().get("/recommend?user_id=1").then().statusCode(200).body("user_id", equalTo(1));
        given().get("/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void followsModelEventsButTakesNoPipelineRequestAndSchedulesNothing() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> ConsumerGroups.members("reco-api-") > 0);
        // the user histories: every RatingSubmitted, in a group of this instance's own
        await().atMost(Duration.ofSeconds(60)).until(() -> ConsumerGroups.members("reco-histories-") > 0);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/ready").then().body("checks.histories.status", equalTo("loaded")));
        assertEquals(0, ConsumerGroups.members("reco-workers"), "no pipeline worker");
        assertFalse(scheduler.isRunning(), "no scheduler");
    }
}
