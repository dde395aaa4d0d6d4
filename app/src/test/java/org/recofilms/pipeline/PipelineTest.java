package org.recofilms.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recofilms.pipeline.PipelineTestSupport.KEY;
import static org.recofilms.pipeline.PipelineTestSupport.awaitEnd;
import static org.recofilms.pipeline.PipelineTestSupport.records;
import static org.recofilms.pipeline.PipelineTestSupport.step;
import static org.recofilms.pipeline.PipelineTestSupport.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestServices;
import org.recofilms.platform.Topics;

/**
 * Pipelines end to end on the real PostgreSQL and Kafka broker: REST triggers, the workers, the
 * dead-letter topic, idempotent redelivery, the reaper, an outside client (kcat), the daily chain
 * to a served model, and a failed training that leaves that model serving.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(PipelineTest.Profile.class)
class PipelineTest {

    /** An operator key, a model and a data folder of its own, a short lease and a quick reaper. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.security.operator-api-key", KEY,
                    "reco.registry.model-name", "reco-films-itemcf-pipeline-test",
                    "reco.data.dir", "target/test-data/pipelines",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false",
                    "reco.pipeline.heartbeat-interval", "1s",
                    "reco.pipeline.reaper-interval", "1s",
                    "reco.pipeline.lease", "5s");
        }
    }

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PipelineRequestPublisher publisher;

    @Inject
    PipelineRunRepository runRepository;

    @Test
    void aRequestsConnectionGoesBackToThePoolWithoutItsTimeout() throws Exception {
        // A run lookup bounds its connection by reco.database.jdbc-request-timeout; the pool (Agroal keeps the
        // last connection of a thread for that thread) must not hand it on with that timeout to long work.
        assertTrue(runRepository.findForRequest(UUID.randomUUID()).isEmpty());
        try (Connection c = dataSource.getConnection()) {
            assertEquals(0, c.getNetworkTimeout(), "network timeout left on a pooled connection (ms)");
        }
    }

    @TempDir
    Path tmp;

    private String dataset(String name, long randomSeed) throws Exception {
        Path dir = tmp.resolve(name);
        MovieLensGenerator.generate(
                GeneratorConfig.tiny().toBuilder().randomSeed(randomSeed).build(), dir);
        return dir.toString();
    }

    private static Response trigger(String kind, String body) {
        var request = given().header("X-API-Key", KEY);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        return request.post("/pipelines/" + kind);
    }

    @Test
    void aRestTriggerIsRunByTheWorkerAndItsEventsAreSeenByAPlainConsumer() throws Exception {
        String source = dataset("rest", 11);
        try (KafkaConsumer<String, String> events = tail(Topics.PIPELINE_EVENTS)) {
            Response r = trigger("ingestion", "{\"source\": \"" + source + "\"}");
            r.then()
                    .statusCode(202)
                    .header(
                            "Location",
                            endsWith("/pipelines/runs/" + r.jsonPath().getString("run_id")))
                    .body("kind", equalTo("ingestion"))
                    .body("status", equalTo("QUEUED"))
                    .body("already_active", equalTo(false))
                    .body("params.source", equalTo(source))
                    .body("trigger", equalTo("rest:operator"));
            String runId = r.jsonPath().getString("run_id");

            JsonNode run = awaitEnd(json, runId, Duration.ofSeconds(90));
            assertEquals("SUCCESS", run.get("status").asText(), run.toString());
            assertNotNull(run.get("started_at").textValue());
            assertNotNull(run.get("finished_at").textValue());
            assertTrue(run.get("worker").asText().contains("@"), run.toString());
            assertTrue(run.get("counts").get("rows").get("raw_ratings").asLong() > 0, run.toString());
            assertEquals("SUCCESS", step(run, "ingestion").get("status").asText());
            assertEquals(
                    source, step(run, "ingestion").get("detail").get("source").asText());
            JsonNode checks = step(run, "quality_checks");
            assertEquals("SUCCESS", checks.get("status").asText(), checks.toString());
            assertTrue(checks.get("detail").get("checks").size() >= 5, checks.toString());
            assertNotNull(checks.get("started_at").textValue());

            List<JsonNode> seen = records(json, events, runId, Duration.ofSeconds(20), 7);
            List<String> runStatuses = seen.stream()
                    .filter(e -> e.get("step").isNull())
                    .map(e -> e.get("status").asText())
                    .toList();
            assertEquals(List.of("QUEUED", "RUNNING", "SUCCESS"), runStatuses, seen.toString());
            assertTrue(seen.stream().allMatch(e -> e.get("type").asText().equals("PipelineRunChanged")));
            assertTrue(
                    seen.stream()
                            .anyMatch(e -> "quality_checks".equals(e.get("step").asText())
                                    && "SUCCESS".equals(e.get("stepStatus").asText())),
                    seen.toString());
        }

        // the seed-compatible path; the ingestion service's run log shares the run id
        Response data = given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body("{\"source\": \"" + dataset("seed-path", 21) + "\"}")
                .post("/data");
        data.then().statusCode(202).body("kind", equalTo("ingestion"));
        JsonNode seedRun = awaitEnd(json, data.jsonPath().getString("run_id"), Duration.ofSeconds(90));
        assertEquals("SUCCESS", seedRun.get("status").asText(), seedRun.toString());
        assertEquals(
                "SUCCESS",
                ingestionLogStatus(UUID.fromString(seedRun.get("run_id").asText())));
    }

    private static Instant at(JsonNode run, String step, String field) {
        return Instant.parse(step(run, step).get(field).asText());
    }

    private String ingestionLogStatus(UUID runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT status FROM raw.ingestion_run_log WHERE run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "none";
            }
        }
    }

    @Test
    void triggersAreForOperatorsAndCheckTheirInput() {
        given().post("/pipelines/ingestion").then().statusCode(401).body("error", equalTo("unauthorized"));
        given().header("X-API-Key", "wrong").post("/pipelines/ingestion").then().statusCode(403);
        given().header("X-API-Key", "wrong").post("/training").then().statusCode(403);
        trigger("backfill", null).then().statusCode(400).body("detail", containsString("ingestion, training"));
        trigger("ingestion", "{\"source\": 3}").then().statusCode(400).body("error", equalTo("bad_request"));
        trigger("ingestion", "{not json").then().statusCode(400);
        // JSON null and a list are no object of parameters (only an absent body means none)
        trigger("ingestion", "null").then().statusCode(400).body("detail", containsString("JSON object"));
        trigger("training", "[]").then().statusCode(400);
        trigger("training", "{\"k\": \"3\"}")
                .then()
                .statusCode(400)
                .body("detail", containsString("unknown parameter"));
        trigger("monitoring", "{\"day\": \"yesterday\"}").then().statusCode(400);
        trigger("monitoring", "{\"day\": \"2015-03-01\", \"backfill\": \"true\"}")
                .then()
                .statusCode(400);
        given().get("/pipelines/runs/not-a-uuid").then().statusCode(400);
        given().get("/pipelines/runs/" + UUID.randomUUID()).then().statusCode(404);
        // the 32 hex digits alone name a run as well (Python's uuid.UUID, schemathesis, take them)
        given().get("/pipelines/runs/" + UUID.randomUUID().toString().replace("-", ""))
                .then()
                .statusCode(404);
        given().get("/pipelines/runs/1-1-1-1-1").then().statusCode(400);
        given().get("/pipelines/runs?kind=nope").then().statusCode(400);
        given().get("/pipelines/runs?status=DONE").then().statusCode(400);
        given().get("/pipelines/runs?size=0").then().statusCode(400);
        given().get("/pipelines/runs?page=x").then().statusCode(400);
    }

    @Test
    void aMonitoringRunComputesTheKpisOfTheWholeHistory() throws Exception {
        Response r = trigger("monitoring", "{\"backfill\": \"true\"}");
        r.then().statusCode(202).body("kind", equalTo("monitoring"));
        JsonNode run = awaitEnd(json, r.jsonPath().getString("run_id"), Duration.ofSeconds(90));
        assertEquals("SUCCESS", run.get("status").asText(), run.toString());
        JsonNode detail = step(run, "data_monitoring").get("detail");
        assertEquals("backfill", detail.get("scope").asText());
        assertTrue(detail.get("periods").asInt() > 0, detail.toString());
        assertTrue(detail.get("metrics").asInt() > 0, detail.toString());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM raw.monitoring_metrics");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertTrue(rs.getLong(1) > 0);
        }
    }

    @Test
    void twoConcurrentTriggersGiveOneRun() throws Exception {
        String source = dataset("concurrent", 12);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> answers = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return trigger("ingestion", "{\"source\": \"" + source + "\"}");
                }))
                .toList();
        go.countDown();
        Response a = answers.get(0).get(60, TimeUnit.SECONDS);
        Response b = answers.get(1).get(60, TimeUnit.SECONDS);
        assertEquals(a.jsonPath().getString("run_id"), b.jsonPath().getString("run_id"), a.asString() + b.asString());
        assertEquals(
                List.of(200, 202),
                List.of(a.statusCode(), b.statusCode()).stream().sorted().toList());
        Response second = a.statusCode() == 200 ? a : b;
        assertTrue(second.jsonPath().getBoolean("already_active"));
        assertTrue(second.header("Location")
                .endsWith("/pipelines/runs/" + second.jsonPath().getString("run_id")));
        String runId = a.jsonPath().getString("run_id");
        // a daily run conflicts with the active ingestion too
        Response daily = trigger("daily", "{\"source\": \"" + source + "\"}");
        if (daily.statusCode() == 200) {
            assertEquals(runId, daily.jsonPath().getString("run_id"));
            assertTrue(daily.jsonPath().getBoolean("already_active"));
        }
        assertEquals(
                "SUCCESS",
                awaitEnd(json, runId, Duration.ofSeconds(90)).get("status").asText());
        if (daily.statusCode() == 202) {
            // the ingestion had already ended: a daily run was created; let it end before the next test
            awaitEnd(json, daily.jsonPath().getString("run_id"), Duration.ofSeconds(180));
        }
        given().get("/pipelines/runs?kind=ingestion&size=50")
                .then()
                .statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(50))
                .body("runs.findAll { it.run_id == '" + runId + "' }.size()", equalTo(1));
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    @Test
    void aPoisonMessageLandsInTheDeadLetterTopicAndTheNextRequestStillRuns() throws Exception {
        String source = dataset("after-poison", 13);
        try (KafkaConsumer<String, String> dlq = tail(Topics.PIPELINE_REQUESTS_DLQ);
                KafkaProducer<String, String> producer = producer()) {
            // same key, so same partition, as the request that must still run
            producer.send(new ProducerRecord<>(Topics.PIPELINE_REQUESTS, "ingestion", "this is not JSON {"))
                    .get();
            String unknownKind = "{\"runId\":\"" + UUID.randomUUID() + "\",\"kind\":\"defrag\"}";
            producer.send(new ProducerRecord<>(Topics.PIPELINE_REQUESTS, "ingestion", unknownKind))
                    .get();

            Response r = trigger("ingestion", "{\"source\": \"" + source + "\"}");
            r.then().statusCode(202);
            JsonNode run = awaitEnd(json, r.jsonPath().getString("run_id"), Duration.ofSeconds(90));
            assertEquals("SUCCESS", run.get("status").asText(), run.toString());

            Map<String, ConsumerRecord<String, String>> dead = new java.util.HashMap<>();
            Instant deadline = Instant.now().plusSeconds(20);
            while (dead.size() < 2 && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> d : dlq.poll(Duration.ofMillis(300))) {
                    if (d.value().equals("this is not JSON {") || d.value().equals(unknownKind)) {
                        dead.put(d.value(), d);
                    }
                }
            }
            assertEquals(2, dead.size(), dead.toString());
            String reason = new String(
                    dead.get(unknownKind)
                            .headers()
                            .lastHeader("dead-letter-reason")
                            .value(),
                    StandardCharsets.UTF_8);
            assertTrue(reason.contains("unknown pipeline kind 'defrag'"), reason);
            assertNotNull(dead.get("this is not JSON {").headers().lastHeader("dead-letter-reason"));
        }
    }

    @Test
    void aRedeliveredRequestDoesNotRunTwice() throws Exception {
        String source = dataset("redelivered", 14);
        try (KafkaConsumer<String, String> events = tail(Topics.PIPELINE_EVENTS)) {
            Response r = trigger("ingestion", "{\"source\": \"" + source + "\"}");
            r.then().statusCode(202);
            String runId = r.jsonPath().getString("run_id");
            PipelineRequested same = new PipelineRequested(
                    UUID.fromString(runId),
                    "ingestion",
                    Map.of("source", source),
                    "rest:operator",
                    Instant.parse(r.jsonPath().getString("requested_at")));
            publisher.publish(same).await().atMost(Duration.ofSeconds(10));
            assertEquals(
                    "SUCCESS",
                    awaitEnd(json, runId, Duration.ofSeconds(90)).get("status").asText());
            publisher.publish(same).await().atMost(Duration.ofSeconds(10));

            // a later request on the same partition has run, so both copies were consumed before it
            Response next = trigger("ingestion", "{\"source\": \"" + source + "\"}");
            awaitEnd(json, next.jsonPath().getString("run_id"), Duration.ofSeconds(90));

            List<JsonNode> seen = records(json, events, runId, Duration.ofSeconds(5), Integer.MAX_VALUE);
            long running = seen.stream()
                    .filter(e ->
                            e.get("step").isNull() && e.get("status").asText().equals("RUNNING"))
                    .count();
            assertEquals(1, running, seen.toString());
            assertEquals(
                    "SUCCESS",
                    awaitEnd(json, runId, Duration.ofSeconds(1)).get("status").asText());
        }
    }

    @Test
    void aRunWhoseHeartbeatExpiredIsMarkedFailedWithItsRunLog() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reco.pipeline_runs"
                    + " (id, kind, status, trigger, started_at, heartbeat_at, worker)"
                    + " VALUES (?, 'monitoring', 'RUNNING', 'test', now() - interval '2 minutes',"
                    + " now() - interval '1 minute', '999@vanished-host')")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reco.pipeline_steps"
                    + " (run_id, position, step, status, blocking, started_at) VALUES (?, 1, 'data_monitoring',"
                    + " 'RUNNING', false, now() - interval '2 minutes')")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO raw.training_run_log (run_id, status) VALUES (?, 'RUNNING')")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
        }
        JsonNode run = awaitEnd(json, id.toString(), Duration.ofSeconds(20));
        assertEquals("FAILED", run.get("status").asText());
        assertTrue(run.get("error").asText().contains("lease expired: worker 999@vanished-host"), run.toString());
        assertEquals("FAILED", step(run, "data_monitoring").get("status").asText());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT status, error FROM raw.training_run_log WHERE run_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("FAILED", rs.getString(1));
                assertTrue(rs.getString(2).contains("lease expired"), rs.getString(2));
            }
        }
    }

    @Test
    void kcatSendsARequestThatTheWorkersAccept() throws Exception {
        Path kcat = Path.of("/usr/bin/kcat");
        assertTrue(Files.isExecutable(kcat), "kcat is needed (Debian package kcat)");
        String source = dataset("kcat", 15);
        UUID runId = UUID.randomUUID();
        // the record of kafka/README.md, as an outside client writes it
        String record = "{\"runId\":\"" + runId + "\",\"kind\":\"ingestion\",\"params\":{\"source\":\"" + source
                + "\"},\"trigger\":\"kcat\",\"requestedAt\":\"" + Instant.now() + "\"}";
        Process p = new ProcessBuilder(
                        kcat.toString(),
                        "-P",
                        "-b",
                        TestServices.kafkaBootstrapServers(),
                        "-t",
                        Topics.PIPELINE_REQUESTS,
                        "-k",
                        "ingestion")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write((record + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        Instant deadline = Instant.now().plusSeconds(30);
        while (given().get("/pipelines/runs/" + runId).statusCode() == 404
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        JsonNode run = awaitEnd(json, runId.toString(), Duration.ofSeconds(90));
        assertEquals("SUCCESS", run.get("status").asText(), run.toString());
        assertEquals("kcat", run.get("trigger").asText());
        assertEquals(source, run.get("params").get("source").asText());
    }

    @Test
    void theDailyChainPromotesAModelAndAFailedTrainingLeavesItServing() throws Exception {
        Path dir = tmp.resolve("daily");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(4711)
                        .ratings(40_000)
                        .users(300)
                        .movies(700)
                        .build(),
                dir);
        Response r = trigger("daily", "{\"source\": \"" + dir + "\"}");
        r.then().statusCode(202).body("kind", equalTo("daily")).body("steps.size()", equalTo(6));
        JsonNode run = awaitEnd(json, r.jsonPath().getString("run_id"), Duration.ofSeconds(240));
        assertEquals("SUCCESS", run.get("status").asText(), run.toString());
        List<String> order = new java.util.ArrayList<>();
        run.get("steps").forEach(s -> order.add(s.get("step").asText()));
        assertEquals(
                List.of("ingestion", "quality_checks", "data_monitoring", "snapshot", "training", "promotion"), order);
        for (String s : List.of("ingestion", "quality_checks", "snapshot", "training", "promotion")) {
            assertEquals("SUCCESS", step(run, s).get("status").asText(), s + ": " + run);
            assertNotNull(step(run, s).get("started_at").textValue(), s);
            assertNotNull(step(run, s).get("finished_at").textValue(), s);
        }
        // each step is dated when it starts and ends, not when the training call returns
        List<Instant> times = List.of(
                at(run, "snapshot", "started_at"),
                at(run, "snapshot", "finished_at"),
                at(run, "training", "started_at"),
                at(run, "training", "finished_at"),
                at(run, "promotion", "started_at"),
                at(run, "promotion", "finished_at"));
        assertEquals(times.stream().sorted().toList(), times, "snapshot, training, promotion: " + times);
        JsonNode monitoring = step(run, "data_monitoring");
        assertFalse(monitoring.get("blocking").asBoolean());
        assertEquals("SUCCESS", monitoring.get("status").asText(), monitoring.toString());
        assertTrue(monitoring.get("detail").get("scope").asText().startsWith("day "), monitoring.toString());
        JsonNode promotion = step(run, "promotion").get("detail");
        assertTrue(promotion.get("promoted").asBoolean(), promotion.toString());
        int version = promotion.get("version").asInt();
        assertEquals(version, run.get("counts").get("model_version").asInt());
        assertTrue(step(run, "snapshot").get("detail").get("rows").asLong() > 30_000);

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/model/metadata")
                        .then()
                        .body("status", equalTo("serving"))
                        .body("version", equalTo(version)));

        // a forced failure in training: the artifact folder cannot be created
        Path data = Path.of("target/test-data/pipelines");
        Path models = data.resolve("models");
        Path aside = data.resolve("models-aside");
        Files.move(models, aside);
        Files.writeString(models, "not a folder");
        try {
            Response t = given().header("X-API-Key", KEY).post("/training");
            t.then().statusCode(202).body("kind", equalTo("training"));
            JsonNode failed = awaitEnd(json, t.jsonPath().getString("run_id"), Duration.ofSeconds(180));
            assertEquals("FAILED", failed.get("status").asText(), failed.toString());
            assertTrue(failed.get("error").asText().startsWith("training: "), failed.toString());
            assertTrue(failed.get("error").asText().contains("models"), failed.toString());
            assertEquals("SUCCESS", step(failed, "snapshot").get("status").asText());
            assertEquals("FAILED", step(failed, "training").get("status").asText());
            assertEquals("SKIPPED", step(failed, "promotion").get("status").asText());
        } finally {
            Files.delete(models);
            Files.move(aside, models);
        }
        given().get("/model/metadata").then().body("status", equalTo("serving")).body("version", equalTo(version));

        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("reco_pipeline_runs_total{kind=\"daily\",status=\"success\"}"), "runs counter");
        assertTrue(metrics.contains("reco_pipeline_runs_total{kind=\"training\",status=\"failed\"}"));
        assertTrue(
                metrics.contains(
                        "reco_pipeline_step_duration_seconds_count{kind=\"daily\",status=\"success\",step=\"training\"}"),
                "step timer");
        assertTrue(metrics.contains("reco_pipeline_last_success{kind=\"daily\"}"));
        assertTrue(metrics.contains("reco_pipeline_active{kind=\"training\"}"));
    }
}
