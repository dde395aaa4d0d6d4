package org.recofilms.platform;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One Kafka admin client for the app (health checks, topic checks), created on first use. */
@ApplicationScoped
public class KafkaAdmin {

    private final String bootstrapServers;
    private volatile Admin admin;

    public KafkaAdmin(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    Properties props = new Properties();
                    props.putAll(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            AdminClientConfig.CLIENT_ID_CONFIG,
                            "reco-films-admin",
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            5000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            10000));
                    current = Admin.create(props);
                    admin = current;
                }
            }
        }
        return current;
    }

    void close(@Observes ShutdownEvent event) {
        Admin current = admin;
        if (current != null) {
            current.close();
        }
    }
}
