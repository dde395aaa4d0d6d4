package org.recofilms.pipeline;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.recofilms.local.TestServices;

/** What the pipeline tests share: a plain Kafka consumer from the end of a topic, and run polling over HTTP. */
final class PipelineTestSupport {

    static final String KEY = "pipeline-test-key";

    private PipelineTestSupport() {}

    /** A consumer of every partition of {@code topic}, positioned at its end. */
    static KafkaConsumer<String, String> tail(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Polls GET /pipelines/runs/{id} until the run has ended; returns its last answer. */
    static JsonNode awaitEnd(ObjectMapper json, String runId, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        JsonNode run = null;
        while (Instant.now().isBefore(deadline)) {
            Response r = given().get("/pipelines/runs/" + runId);
            if (r.statusCode() == 200) {
                run = json.readTree(r.asString());
                String status = run.get("status").asText();
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    return run;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + runId + " did not end within " + limit + "; last seen: " + run);
    }

    /** Reads {@code consumer} until {@code limit}, keeping the records keyed {@code key}. */
    static List<JsonNode> records(
            ObjectMapper json, KafkaConsumer<String, String> consumer, String key, Duration limit, int atLeast)
            throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline) && out.size() < atLeast) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                if (key.equals(r.key())) {
                    out.add(json.readTree(r.value()));
                }
            }
        }
        return out;
    }

    /** The step named {@code name} of a run's JSON. */
    static JsonNode step(JsonNode run, String name) {
        for (JsonNode s : run.get("steps")) {
            if (s.get("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + run);
    }
}
