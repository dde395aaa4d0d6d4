package org.recofilms.platform;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * The Kafka settings every outgoing channel shares, written once in application.properties under
 * {@code reco-producer.} and named by each channel with {@code kafka-configuration=reco-producer}.
 * Not global {@code kafka.*} keys: those reach the consumers too, where {@code request.timeout.ms}
 * is a consumer setting of its own.
 */
@ApplicationScoped
public class KafkaProducerSettings {

    /** The name the outgoing channels give in {@code kafka-configuration}. */
    public static final String NAME = "reco-producer";

    // Not kafka-*: Quarkus hands every property starting with "kafka" to all channels.
    private static final String PREFIX = NAME + ".";

    @Produces
    @Identifier(NAME)
    Map<String, Object> producerSettings(Config config) {
        Map<String, Object> settings = new TreeMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                settings.put(key.substring(PREFIX.length()), config.getValue(key, String.class));
            }
        }
        return settings;
    }
}
