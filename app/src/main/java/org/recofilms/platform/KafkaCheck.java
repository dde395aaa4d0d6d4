package org.recofilms.platform;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;

/** Kafka is up when the cluster answers and the platform's topics exist. */
@ApplicationScoped
public class KafkaCheck implements ComponentCheck {

    /** Topics without which pipelines and feedback cannot work (kafka/topics.conf creates them). */
    static final Set<String> REQUIRED_TOPICS = Set.of(Topics.PIPELINE_REQUESTS, Topics.PIPELINE_EVENTS, Topics.RATINGS);

    private final KafkaAdmin kafka;

    public KafkaCheck(KafkaAdmin kafka) {
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Uni<CheckResult> check() {
        var cluster = kafka.admin().describeCluster(new DescribeClusterOptions().timeoutMs(2000));
        var topics = kafka.admin().listTopics(new ListTopicsOptions().timeoutMs(2000));
        return Uni.createFrom()
                .completionStage(cluster.nodes().toCompletionStage())
                .chain(nodes -> Uni.createFrom()
                        .completionStage(topics.names().toCompletionStage())
                        .map(names -> {
                            if (nodes.isEmpty()) {
                                return CheckResult.down("no broker");
                            }
                            for (String topic : REQUIRED_TOPICS) {
                                if (!names.contains(topic)) {
                                    return CheckResult.down("topic " + topic + " missing");
                                }
                            }
                            return CheckResult.up(nodes.size() + " broker(s) at " + kafka.bootstrapServers());
                        }));
    }
}
