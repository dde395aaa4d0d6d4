package org.recofilms.platform;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code reco.role} into the runtime settings that start or skip the Kafka consumers and the
 * scheduler. The {@code @Incoming} methods and {@code @Scheduled} jobs are wired at build time, so
 * one image serves every role only if they are switched off by runtime configuration:
 *
 * <ul>
 *   <li>{@code api}: no {@code pipeline-requests-in} consumer (it never joins {@code reco-workers})
 *       and no scheduler (daily trigger, heartbeats, reaper, PSI gauges); no Flyway at start: {@link SchemaGate}
 *       checks the schema history in one query and migrates only when it lacks a migration;
 *   <li>{@code worker}: no {@code pipeline-events-in} consumer (it serves no model and holds no histories), no
 *       user histories in memory (no {@code ratings-in} consumer, {@code reco.serving.histories.enabled} false);
 *   <li>{@code all}: nothing changed.
 * </ul>
 *
 * Its ordinal sits below application.properties (250), so that an explicit setting, such as the
 * {@code command} profile's, always wins over the role's.
 */
public class RoleConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue role = context.getValue("reco.role");
        return List.of(new PropertiesConfigSource(
                derived(role.getValue()), "RoleConfigSourceFactory[reco.role=" + role.getValue() + "]", ORDINAL));
    }

    /**
     * The settings of a role; for {@code all} or an unknown value (which the config mapping rejects) only Flyway's
     * migrate-at-start, which every role but api keeps.
     */
    static Map<String, String> derived(String role) {
        String name = role == null ? "all" : role.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "api" ->
                Map.of(
                        "mp.messaging.incoming.pipeline-requests-in.enabled", "false",
                        "quarkus.scheduler.enabled", "false",
                        // SchemaGate migrates only when the schema history lacks a shipped migration
                        "quarkus.flyway.migrate-at-start", "false");
            case "worker" ->
                Map.of(
                        "quarkus.flyway.migrate-at-start", "true",
                        "mp.messaging.incoming.pipeline-events-in.enabled", "false",
                        "mp.messaging.incoming.ratings-in.enabled", "false",
                        "reco.serving.histories.enabled", "false");
            default -> Map.of("quarkus.flyway.migrate-at-start", "true");
        };
    }
}
