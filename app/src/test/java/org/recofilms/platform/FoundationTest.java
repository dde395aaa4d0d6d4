package org.recofilms.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestServices;
import org.recofilms.pipeline.PipelineRequestPublisher;
import org.recofilms.pipeline.PipelineRequested;

/** The foundation against the real PostgreSQL and Kafka broker: schema, readiness, Kafka, HTTP extras. */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
class FoundationTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PipelineRequestPublisher publisher;

    @Inject
    ObjectMapper json;

    @Inject
    KafkaClientService kafka;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL base;

    @Test
    void migrationsCreateEveryTableAndView() throws Exception {
        Set<String> relations = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                        + " WHERE table_schema IN ('raw', 'reco')")) {
            while (rs.next()) {
                relations.add(rs.getString(1));
            }
        }
        for (String expected : List.of(
                "raw.raw_movies",
                "raw.raw_ratings",
                "raw.raw_tags",
                "raw.raw_links",
                "raw.raw_genome_scores",
                "raw.raw_genome_tags",
                "raw.current_ratings",
                "raw.current_movies",
                "raw.movie_popularity",
                "raw.item_neighbors",
                "raw.ingestion_run_log",
                "raw.training_run_log",
                "raw.quality_checks_log",
                "raw.monitoring_metrics",
                "raw.feedback_ratings",
                "raw.ingestion_rejects",
                "reco.pipeline_runs",
                "reco.pipeline_steps",
                "reco.registry_runs",
                "reco.registry_metrics",
                "reco.registry_artifacts",
                "reco.registry_model_versions",
                "reco.registry_aliases",
                "reco.promotion_decisions")) {
            assertTrue(relations.contains(expected), expected + " missing; found " + relations);
        }
    }

    @Test
    void ratingsAreIndexedByUserMovieAndTime() throws Exception {
        Set<String> indexed = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = 'raw'"
                        + " AND tablename = 'raw_ratings'")) {
            while (rs.next()) {
                indexed.add(rs.getString(1));
            }
        }
        assertTrue(indexed.stream().anyMatch(d -> d.contains("(\"userId\", \"movieId\")")), "by user: " + indexed);
        assertTrue(indexed.stream().anyMatch(d -> d.endsWith("(\"movieId\")")), "by movie: " + indexed);
        assertTrue(indexed.stream().anyMatch(d -> d.endsWith("(\"timestamp\")")), "by time: " + indexed);
    }

    @Test
    void currentRatingsPreferFeedbackOverTheMovieLensRow() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO raw.raw_ratings VALUES (990001, 1, 2.0, 1000000000)");
            st.execute("INSERT INTO raw.feedback_ratings (\"userId\", \"movieId\", rating, \"timestamp\")"
                    + " VALUES (990001, 1, 4.5, 1700000000)");
            try (ResultSet rs = st.executeQuery(
                    "SELECT rating, count(*) OVER () FROM raw.current_ratings WHERE \"userId\" = 990001")) {
                assertTrue(rs.next());
                assertEquals(4.5f, rs.getFloat(1));
                assertEquals(1, rs.getInt(2), "one row per user and movie");
            }
            c.rollback();
        }
    }

    @Test
    void readyReportsDatabaseKafkaAndModel() {
        // at start the model check says "loading" (503) until the registry has answered
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("ready"))
                        .body("checks.database.status", equalTo("up"))
                        .body("checks.kafka.status", equalTo("up"))
                        .body("checks.model.status", equalTo("fallback")));
        given().when().get("/health").then().statusCode(200).body("status", equalTo("ok"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void pipelineRequestRoundTripsThroughKafkaAsJson() throws Exception {
        // a request the workers refuse (an unknown family), so that no model is trained behind the other tests
        PipelineRequested sent = new PipelineRequested(
                UUID.randomUUID(),
                "training",
                Map.of("family", "no-such-family"),
                "test",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "foundation-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PIPELINE_REQUESTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            publisher.publish(sent).await().atMost(Duration.ofSeconds(15));

            ConsumerRecord<String, String> received = null;
            Instant deadline = Instant.now().plusSeconds(20);
            while (received == null && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value().contains(sent.runId().toString())) {
                        received = r;
                    }
                }
            }
            assertTrue(received != null, "the record never arrived on " + Topics.PIPELINE_REQUESTS);
            assertEquals("training", received.key(), "keyed by pipeline kind");
            JsonNode body = json.readTree(received.value());
            assertEquals(sent.runId().toString(), body.get("runId").asText());
            assertEquals("no-such-family", body.get("params").get("family").asText());
            assertEquals(
                    sent, json.treeToValue(body, PipelineRequested.class), "the JSON reads back to the same record");
        }
    }

    @Test
    void metricsListHttpServerRequests() {
        given().when().get("/health").then().statusCode(200);
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString(MetricNames.READINESS_UP.replace('.', '_')));
    }

    @Test
    void theSqlClientsPerConnectionGaugesAreNotRegisteredTwice() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(String.valueOf(record.getMessage()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger micrometer = java.util.logging.Logger.getLogger("io.micrometer");
        micrometer.addHandler(capture);
        try {
            // Concurrent queries make the pool open more connections, each asking for client metrics.
            List<Uni<RowSet<Row>>> queries = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                queries.add(pool.query("SELECT pg_sleep(0.2)").execute());
            }
            Uni.join().all(queries).andFailFast().await().atMost(Duration.ofSeconds(30));
            // What the client does for every connection after the first.
            for (int i = 0; i < 2; i++) {
                for (String name : List.of("postgresql.queue.size", ".queue.size", ".current")) {
                    Gauge.builder(name, () -> 0)
                            .tags("clientName", "<default>", "clientType", "sql")
                            .strongReference(true)
                            .register(registry);
                }
            }
            assertEquals(
                    List.of(),
                    warnings.stream()
                            .filter(w -> w.contains("already registered"))
                            .toList());
            assertTrue(registry.find("postgresql.queue.size").gauges().isEmpty());
            assertTrue(registry.find(".queue.size").gauges().isEmpty());
            given().when()
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(not(containsString("postgresql_queue_size")))
                    .body(containsString("pool_type=\"sql\""));
        } finally {
            micrometer.removeHandler(capture);
        }
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/ready"));
        given().redirects()
                .follow(true)
                .when()
                .get("/docs")
                .then()
                .statusCode(200)
                .body(containsString("<html"));
    }

    @Test
    void unknownPathIsJsonNotFound() {
        given().when()
                .get("/no-such-endpoint")
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("error", equalTo("not_found"))
                .body("detail", notNullValue());
    }

    /** The document declares the error answers with their {error, detail} body, and the operator key. */
    @Test
    void theOpenApiDocumentDeclaresErrorsRangesAndTheOperatorKey() {
        var doc = given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                "#/components/schemas/Error",
                doc.getString("paths.'/recommend'.get.responses.'400'.content.'application/json'.schema.'$ref'"));
        assertNotNull(doc.get("paths.'/recommend'.get.responses.'414'"));
        assertEquals(List.of("error", "detail"), doc.getList("components.schemas.Error.required"));
        assertEquals(1, doc.getInt("components.schemas.Id.minimum"));
        assertNotNull(doc.get("paths.'/pipelines/{kind}'.post.responses.'401'"));
        assertNotNull(doc.get("paths.'/pipelines/{kind}'.post.responses.'403'"));
        assertNotNull(doc.get("paths.'/users/{user_id}/ratings'.post.responses.'413'"));
        assertNotNull(doc.get("paths.'/users/{user_id}/ratings'.post.responses.'415'"));
        assertEquals("X-API-Key", doc.getString("components.securitySchemes.OperatorKey.name"));
    }

    /** What the HTTP layer answers before any resource runs: JSON errors, Allow headers. */
    @Test
    void httpLimitsWrongMethodsAndRepeatedParametersAreJsonErrors() {
        given().get("/recommend?user_id=1&pad=" + "x".repeat(9000))
                .then()
                .statusCode(414)
                .contentType("application/json")
                .body("error", equalTo("uri_too_long"))
                .body("detail", containsString("8192"));
        given().contentType("application/json")
                .body("[" + "{\"movie_id\":1,\"rating\":4},".repeat(60_000) + "{\"movie_id\":1,\"rating\":4}]")
                .post("/users/1/ratings")
                .then()
                .statusCode(413)
                .contentType("application/json")
                .body("error", equalTo("payload_too_large"));
        given().delete("/recommend")
                .then()
                .statusCode(405)
                .header("Allow", "GET, HEAD, OPTIONS")
                .body("error", equalTo("method_not_allowed"));
        given().get("/users/1/ratings").then().statusCode(405).header("Allow", "OPTIONS, POST");
        given().options("/movies/1").then().statusCode(204).header("Allow", "GET, HEAD, OPTIONS");
        given().get("/recommend?user_id=1&user_id=2")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"))
                .body("detail", containsString("user_id"));
        given().get("/recommend?user_id=1&top_n=").then().statusCode(400).body("detail", containsString("top_n"));
    }

    /** A chunked body has no Content-Length to check beforehand: it is read within the limit. */
    @Test
    void chunkedBodiesAreReadWithinTheLimit() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> small = client.send(chunked("users/1/ratings", 1), HttpResponse.BodyHandlers.ofString());
        // a small chunked list (of a movie id no test data has) is read and answered by the resource
        assertEquals(404, small.statusCode(), small.body());
        assertTrue(small.body().contains("unknown movie_id: [2000000001]"), small.body());
        HttpResponse<String> large =
                client.send(chunked("users/1/ratings", 80_000), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, large.statusCode(), large.body());
        assertEquals(
                "payload_too_large", json.readTree(large.body()).get("error").asText());
    }

    /** A JSON list of {@code items} ratings of different unknown movies, sent chunked (no Content-Length). */
    private HttpRequest chunked(String path, int items) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 1; i <= items; i++) {
            body.append(i == 1 ? "" : ",")
                    .append("{\"movie_id\":")
                    .append(2_000_000_000 + i)
                    .append(",\"rating\":4}");
        }
        byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.US_ASCII);
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
    }

    /** Framework messages that name its internals are replaced by sentences of ours. */
    @Test
    void bodyErrorsDoNotLeakFrameworkInternals() {
        String wrongType = given().contentType("text/plain")
                .body("{\"movie_id\": 1, \"rating\": 4}")
                .post("/users/1/ratings")
                .then()
                .statusCode(415)
                .body("error", equalTo("unsupported_media_type"))
                .body("detail", equalTo("the body must be sent with Content-Type: application/json"))
                .extract()
                .asString();
        assertFalse(wrongType.contains("@Consumes"), wrongType);
        String notJson = given().contentType("application/json")
                .body("{'movie_id': 1}")
                .post("/users/1/ratings")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"))
                .extract()
                .asString();
        assertFalse(notJson.contains("Feature"), notJson);
        assertFalse(notJson.contains("`"), notJson);
    }

    /** This app runs with no reco.security.operator-api-key: operator endpoints are closed to any key. */
    @Test
    void operatorEndpointsAreClosedWithoutAConfiguredKey() {
        given().post("/pipelines/ingestion")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "ApiKey")
                .body("error", equalTo("unauthorized"))
                .body("detail", equalTo("operator endpoint: send the operator key in the X-API-Key header"));
        given().header("X-API-Key", " ").post("/training").then().statusCode(401);
        for (String path : List.of("/pipelines/training", "/data", "/training")) {
            given().header("X-API-Key", "any-key")
                    .post(path)
                    .then()
                    .statusCode(403)
                    .body("error", equalTo("forbidden"))
                    .body(
                            "detail",
                            equalTo("operator endpoints are closed: no reco.security.operator-api-key is configured"));
        }
        given().header("X-API-Key", "any-key")
                .contentType("application/json")
                .body("{\"version\": 1}")
                .post("/model/rollback")
                .then()
                .statusCode(403)
                .body("error", equalTo("forbidden"));
        // Public endpoints never look at the header, whatever it holds.
        given().header("X-API-Key", "any-key").get("/health").then().statusCode(200);
        given().header("X-API-Key", "any-key").get("/pipelines/runs").then().statusCode(200);
    }

    /**
     * What each channel's Kafka client is given: every producer waits for all replicas and gives up
     * within seconds, and none of that reaches the consumers (whose request timeout stays Kafka's).
     */
    @Test
    void kafkaChannelsGetTheirClientSettings() {
        for (String channel :
                List.of("pipeline-requests-out", "pipeline-events-out", "model-events-out", "ratings-out")) {
            Map<String, ?> producer = kafka.getProducer(channel).configuration();
            assertEquals("all", String.valueOf(producer.get("acks")), channel);
            assertEquals("10000", String.valueOf(producer.get("delivery.timeout.ms")), channel);
            assertEquals("5000", String.valueOf(producer.get("request.timeout.ms")), channel);
            assertEquals("5000", String.valueOf(producer.get("max.block.ms")), channel);
            assertEquals(StringSerializer.class.getName(), String.valueOf(producer.get("key.serializer")), channel);
        }
        for (String channel : List.of("pipeline-events-in", "pipeline-requests-in")) {
            Map<String, ?> consumer = kafka.getConsumer(channel).configuration();
            assertEquals(StringDeserializer.class.getName(), String.valueOf(consumer.get("key.deserializer")), channel);
            assertEquals(
                    StringDeserializer.class.getName(), String.valueOf(consumer.get("value.deserializer")), channel);
            for (String producerOnly : List.of("acks", "delivery.timeout.ms", "request.timeout.ms", "max.block.ms")) {
                assertTrue(!consumer.containsKey(producerOnly), channel + " has " + producerOnly);
            }
        }
    }
}
