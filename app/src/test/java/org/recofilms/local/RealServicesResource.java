package org.recofilms.local;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a @QuarkusTest at the real PostgreSQL and Kafka broker of {@link TestServices}; they stay
 * up for the whole test JVM, so stop() leaves them running.
 */
public class RealServicesResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestServices.postgresConfig());
        config.put("kafka.bootstrap.servers", TestServices.kafkaBootstrapServers());
        return config;
    }

    @Override
    public void stop() {
        // shared by every test class; stopped by the JVM's shutdown hook
    }
}
