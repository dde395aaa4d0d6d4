package org.recofilms.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestServices;
import org.recofilms.pipeline.TrainAndPromote;
import org.recofilms.platform.Topics;
import org.recofilms.training.TrainingResult;
import org.recofilms.training.TrainingService;

/**
 * Train, publish to the registry, promote: end to end on the real PostgreSQL (built-in registry)
 * and Kafka, with the manual promotion API and its operator key.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(PromotionServiceTest.WithOperatorKey.class)
class PromotionServiceTest {

    static final String KEY = "test-operator-key";

    /** An operator key, a model name of its own, and any size of data. */
    public static class WithOperatorKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.security.operator-api-key", KEY,
                    "reco.registry.model-name", "reco-films-itemcf-promotion-test",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false");
        }
    }

    @Inject
    IngestionService ingestion;

    @Inject
    TrainingService training;

    @Inject
    ModelPublisher publisher;

    @Inject
    PromotionService promotion;

    @Inject
    ModelRegistry registry;

    @Inject
    ObjectMapper json;

    @TempDir
    Path tmp;

    @Test
    void trainPublishPromoteKeepTheChampionThenPromoteAndRollBackByHand() throws Exception {
        GeneratorConfig data = GeneratorConfig.demo().toBuilder()
                .randomSeed(777)
                .ratings(40_000)
                .users(300)
                .movies(700)
                .build();
        MovieLensGenerator.generate(data, tmp.resolve("ml"));
        IngestionResult ingested =
                ingestion.ingest(UUID.randomUUID(), tmp.resolve("ml").toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        TrainingResult trained = training.train(UUID.randomUUID());
        assertEquals(TrainingResult.Status.SUCCESS, trained.status(), trained.error());

        try (KafkaConsumer<String, String> events = eventsConsumer()) {
            ModelVersion v1 = publisher.publish(trained);
            RunInfo run = registry.getRun(v1.runId());
            assertTrue(run.runName().startsWith("train_itemcf__k20__"), run.runName());
            assertEquals("20", run.params().get("k_neighbors"));
            assertEquals(trained.metrics().get("ndcg_10"), run.metrics().get("ndcg_10"), 1e-12);
            assertEquals(trained.datasetMd5(), run.tags().get("dataset_md5"));
            assertEquals(Long.toString(trained.snapshotRows()), run.tags().get("snapshot_rows"));
            assertTrue(run.tags().containsKey("git_commit"));
            // the seed's files, the serving bundle, and what makes the folder an MLflow Model
            assertEquals(
                    new java.util.TreeSet<>(List.of(
                            "model/item_neighbors.parquet",
                            "model/model.json",
                            "model/movie_popularity.parquet",
                            "model/serving.bin",
                            "model/MLmodel",
                            "model/code/reco_films_pyfunc.py",
                            "model/conda.yaml",
                            "model/input_example.json",
                            "model/python_env.yaml",
                            "model/requirements.txt",
                            "model/serving_input_example.json")),
                    new java.util.TreeSet<>(registry.listArtifacts(v1.runId())));

            // requests keep flowing across the swap: none may fail
            java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ConcurrentLinkedQueue<Integer> failures =
                    new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicBoolean firing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread traffic = new Thread(() -> {
                while (firing.get()) {
                    int status = given().get("/recommend?user_id=1").statusCode();
                    answered.incrementAndGet();
                    if (status != 200) {
                        failures.add(status);
                    }
                }
            });
            traffic.start();
            PromotionService.Outcome first = promotion.autoPromote(v1);
            assertTrue(first.promoted(), first.reason());
            assertEquals(
                    v1.version(),
                    registry.getByAlias(v1.modelName(), "production")
                            .orElseThrow()
                            .version());
            JsonNode event = awaitEvent(events, v1.runId());
            // the serving side heard it and swapped the model in
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get("/model/metadata")
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("serving"))
                            .body("version", equalTo(v1.version())));
            given().get("/model/metadata")
                    .then()
                    .body("run_id", equalTo(v1.runId()))
                    .body("dataset_md5", equalTo(trained.datasetMd5()))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("runId")))
                    .body("metrics.ndcg_10", org.hamcrest.Matchers.notNullValue());
            given().get("/model/config")
                    .then()
                    .statusCode(200)
                    .body("k_neighbors", equalTo(20))
                    .body("distance", equalTo("cosine"));
            given().get("/ready").then().statusCode(200).body("checks.model.status", equalTo("serving"));
            firing.set(false);
            traffic.join();
            assertTrue(answered.get() > 10, "traffic ran across the swap: " + answered.get());
            assertTrue(failures.isEmpty(), "requests failed during the swap: " + failures);
            assertEquals("ModelPromoted", event.get("type").asText());
            assertEquals(v1.version(), event.get("version").asInt());
            assertEquals(v1.source(), event.get("artifactUri").asText());

            // a challenger with worse metrics keeps the champion, and the decision says why
            String weakRun = registry.createRun("reco-films/itemcf", "weak", Map.of());
            registry.logMetrics(weakRun, Map.of("ndcg_10", 0.01, "precision_10", 0.01, "recall_10", 0.01));
            registry.endRun(weakRun, "FINISHED");
            ModelVersion v2 = registry.createModelVersion(v1.modelName(), weakRun, "model", Map.of());
            PromotionService.Outcome second = promotion.autoPromote(v2);
            assertFalse(second.promoted(), second.reason());
            assertEquals(
                    v1.version(),
                    registry.getByAlias(v1.modelName(), "production")
                            .orElseThrow()
                            .version());

            // manual promotion and rollback are for operators only
            String body = "{\"version\": " + v2.version() + "}";
            given().contentType("application/json")
                    .body(body)
                    .post("/model/promote")
                    .then()
                    .statusCode(401);
            given().contentType("application/json")
                    .header("X-API-Key", "wrong")
                    .body(body)
                    .post("/model/promote")
                    .then()
                    .statusCode(403);
            given().contentType("application/json")
                    .header("X-API-Key", KEY)
                    .body(body)
                    .post("/model/promote")
                    .then()
                    .statusCode(200)
                    .body("version", equalTo(v2.version()));
            assertEquals(
                    v2.version(),
                    registry.getByAlias(v1.modelName(), "production")
                            .orElseThrow()
                            .version());
            assertEquals(
                    v2.version(), awaitEvent(events, weakRun).get("version").asInt());
            // v2 has no artifacts: loading it fails and v1 keeps serving
            Thread.sleep(2000);
            given().get("/model/metadata")
                    .then()
                    .body("version", equalTo(v1.version()))
                    .body("status", equalTo("serving"));
            given().contentType("application/json")
                    .header("X-API-Key", KEY)
                    .body("{\"version\": " + v1.version() + ", \"reason\": \"v2 is weak\"}")
                    .post("/model/rollback")
                    .then()
                    .statusCode(200)
                    .body("version", equalTo(v1.version()));
            assertEquals(
                    v1.version(),
                    registry.getByAlias(v1.modelName(), "production")
                            .orElseThrow()
                            .version());
            given().contentType("application/json")
                    .header("X-API-Key", KEY)
                    .body("{\"version\": 99}")
                    .post("/model/promote")
                    .then()
                    .statusCode(404);
            given().contentType("application/json")
                    .header("X-API-Key", KEY)
                    .body("{}")
                    .post("/model/promote")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("bad_request"));
            // the declared types only: Jackson alone would read these as version 1 and reason "false"
            for (String wrong : List.of(
                    "{\"version\": " + v1.version() + ", \"reason\": false}",
                    "{\"version\": \"" + v1.version() + "\"}",
                    "{\"version\": " + v1.version() + ".5}",
                    "{\"version\": 99999999999}")) {
                given().contentType("application/json")
                        .header("X-API-Key", KEY)
                        .body(wrong)
                        .post("/model/rollback")
                        .then()
                        .statusCode(400)
                        .body("error", equalTo("bad_request"))
                        .body("detail", org.hamcrest.Matchers.not(containsString("java")));
            }

            given().get("/model/promotions?limit=10")
                    .then()
                    .statusCode(200)
                    .body("size()", equalTo(4))
                    .body("[0].reason", equalTo("rollback: v2 is weak"))
                    .body("[2].outcome", equalTo("KEPT_CHAMPION"))
                    .body("[3].actor", equalTo("auto"))
                    // snake_case like every other body
                    .body("[0]", org.hamcrest.Matchers.hasKey("challenger_version"))
                    .body("[0]", org.hamcrest.Matchers.hasKey("decided_at"))
                    .body("[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("challengerVersion")));
            given().get("/model/promotions?limit=abc").then().statusCode(400);

            // A ModelPromoted that arrives late (promotions close together travel on different partitions) does
            // not take the instance off the version production names now: the loader loads what the alias says.
            ModelVersion v3 = registry.createModelVersion(v1.modelName(), v1.runId(), "model", Map.of());
            registry.setAlias(v1.modelName(), "production", v3.version());
            Properties producerProps = new Properties();
            producerProps.put(
                    org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestServices.kafkaBootstrapServers());
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                    producerProps,
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                String stale = json.writeValueAsString(ModelPromoted.of(v1, "production", "late"));
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                Topics.PIPELINE_EVENTS, v1.runId(), stale))
                        .get();
            }
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get("/model/metadata")
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("serving"))
                            .body("version", equalTo(v3.version())));
        }
    }

    @Inject
    PromotionDecisions decisions;

    /**
     * A run as training logs it, by hand: the seed's metrics, the full-ranking ones of {@code ndcg} (one NDCG@100 per
     * user 1..n, on split {@code split}) and the per-user file among its artifacts; registered as a version.
     */
    private ModelVersion version(String model, String family, String split, double[] ndcg) throws Exception {
        int[] ids = new int[ndcg.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
        }
        java.util.Map<org.recofilms.training.evaluation.FullRankingMetrics.Metric, double[]> values =
                new java.util.EnumMap<>(org.recofilms.training.evaluation.FullRankingMetrics.Metric.class);
        for (var m : org.recofilms.training.evaluation.FullRankingMetrics.Metric.values()) {
            values.put(m, ndcg);
        }
        var perUser = new org.recofilms.training.evaluation.FullRankingMetrics(
                org.recofilms.training.evaluation.FullRankingProtocol.Users.TEST, split, ids, values, 0.3, 500);
        String run = registry.createRun("reco-films/itemcf", family + "-by-hand", Map.of("family", family));
        registry.logParams(run, Map.of("family", family));
        Map<String, Double> metrics =
                new java.util.LinkedHashMap<>(Map.of("ndcg_10", 0.2, "precision_10", 0.2, "recall_10", 0.2));
        perUser.asMap().forEach((k, v) -> metrics.put("full_" + k, v));
        registry.logMetrics(run, metrics);
        Path file = tmp.resolve(run + ".json");
        org.recofilms.training.evaluation.UserMetricsFile.write(file, perUser);
        registry.logArtifact(
                run, ModelPublisher.ARTIFACT_DIR + "/" + org.recofilms.training.evaluation.UserMetricsFile.FILE, file);
        registry.endRun(run, "FINISHED");
        return registry.createModelVersion(model, run, ModelPublisher.ARTIFACT_DIR, Map.of());
    }

    @Test
    void aSmallGainThatIsNotSignificantKeepsTheChampionAndTheRecordSaysWhy() throws Exception {
        String model = "promotion-significance-" + UUID.randomUUID();
        int n = 200;
        double[] champion = new double[n];
        double[] small = new double[n];
        double[] large = new double[n];
        for (int u = 0; u < n; u++) {
            champion[u] = 0.2 + 0.6 * ((u * 37) % n) / n;
            // per-user differences +0.032, -0.028 in turn: mean 0.002, sd 0.030, se 0.030 / sqrt(200) = 0.0021
            small[u] = champion[u] + (u % 2 == 0 ? 0.032 : -0.028);
            // +0.05, +0.03 in turn: mean 0.04, sd 0.010, se 0.0007
            large[u] = champion[u] + (u % 2 == 0 ? 0.05 : 0.03);
        }
        ModelVersion v1 = version(model, "itemknn", "split-1", champion);
        assertTrue(promotion.autoPromote(v1).promoted());

        ModelVersion v2 = version(model, "rp3beta", "split-1", small);
        PromotionService.Outcome kept = promotion.autoPromote(v2);
        assertFalse(kept.promoted(), kept.reason());
        assertEquals(
                v1.version(),
                registry.getByAlias(model, "production").orElseThrow().version());
        PromotionDecisions.Decision d = decisions.latest(model, 1).get(0);
        assertEquals("KEPT_CHAMPION", d.outcome());
        assertEquals("rp3beta", d.challengerFamily());
        assertEquals("itemknn", d.championFamily());
        assertEquals("full_ndcg_100", d.metric());
        assertEquals(0.002, d.difference(), 1e-9);
        assertEquals(d.challengerScore() - d.championScore(), d.difference(), 1e-9);
        assertEquals(0.0021, d.differenceSe(), 0.0001);
        assertEquals(2.0, d.minStandardErrors());
        assertEquals(n, d.pairedUsers());
        assertEquals("PAIRED", d.basis());
        assertTrue(d.reason().contains("not significant"), d.reason());
        // the answer of GET /model/promotions, field by field
        JsonNode body = json.readTree(json.writeValueAsString(d));
        for (String field : List.of(
                "challenger_family",
                "champion_family",
                "metric",
                "challenger_score",
                "champion_score",
                "difference",
                "difference_se",
                "min_standard_errors",
                "paired_users",
                "basis")) {
            assertTrue(body.hasNonNull(field), field + " in " + body);
        }

        ModelVersion v3 = version(model, "ease", "split-1", large);
        PromotionService.Outcome promoted = promotion.autoPromote(v3);
        assertTrue(promoted.promoted(), promoted.reason());
        assertEquals(
                v3.version(),
                registry.getByAlias(model, "production").orElseThrow().version());
        PromotionDecisions.Decision won = decisions.latest(model, 1).get(0);
        assertEquals("PROMOTED", won.outcome());
        assertEquals("ease", won.challengerFamily());
        assertEquals("itemknn", won.championFamily());
        assertTrue(won.difference() > 2 * won.differenceSe(), won.reason());

        // a model scored on other users cannot be paired: the wider unpaired standard error decides
        ModelVersion v4 = version(model, "ials", "split-2", large);
        assertFalse(promotion.autoPromote(v4).promoted());
        PromotionDecisions.Decision unpaired = decisions.latest(model, 1).get(0);
        assertEquals("UNPAIRED", unpaired.basis());
        assertEquals(null, unpaired.pairedUsers());
        assertEquals(0.0, unpaired.difference(), 1e-12);
    }

    @Inject
    org.recofilms.training.TrainingRunLog runLog;

    @Inject
    org.recofilms.platform.RecoConfig config;

    @Inject
    org.recofilms.serving.ModelState modelState;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void anUnreachableMlflowFailsTheTrainingRunAndLeavesServingAlone() throws Exception {
        GeneratorConfig data = GeneratorConfig.demo().toBuilder()
                .randomSeed(778)
                .ratings(30_000)
                .users(250)
                .movies(600)
                .build();
        MovieLensGenerator.generate(data, tmp.resolve("ml2"));
        assertEquals(
                IngestionResult.Status.SUCCESS,
                ingestion
                        .ingest(UUID.randomUUID(), tmp.resolve("ml2").toString(), LoadProgress.NONE)
                        .status());
        var servingBefore = modelState.model();
        try (MlflowRegistry down = new MlflowRegistry("http://127.0.0.1:1")) {
            TrainAndPromote step = new TrainAndPromote(training, new ModelPublisher(down, config), promotion, runLog);
            UUID runId = UUID.randomUUID();
            long t0 = System.nanoTime();
            TrainAndPromote.Result result = step.run(runId);
            assertFalse(result.succeeded());
            assertTrue(result.error().contains("MLflow unreachable at http://127.0.0.1:1"), result.error());
            assertTrue((System.nanoTime() - t0) / 1e9 < 60, "bounded retries");
            try (var c = dataSource.getConnection();
                    var ps = c.prepareStatement("SELECT status, error FROM raw.training_run_log WHERE run_id = ?")) {
                ps.setObject(1, runId);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("FAILED", rs.getString(1));
                    assertTrue(rs.getString(2).startsWith("registry: MLflow unreachable"), rs.getString(2));
                }
            }
        }
        assertEquals(servingBefore, modelState.model(), "the serving model is the one it was");
    }

    private KafkaConsumer<String, String> eventsConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "promotion-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(Topics.PIPELINE_EVENTS)
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private JsonNode awaitEvent(KafkaConsumer<String, String> consumer, String runId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (runId.equals(r.key())) {
                    return json.readTree(r.value());
                }
            }
        }
        throw new AssertionError("no ModelPromoted for run " + runId + " on " + Topics.PIPELINE_EVENTS);
    }
}
