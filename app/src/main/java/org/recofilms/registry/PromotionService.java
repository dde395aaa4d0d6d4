package org.recofilms.registry;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.recofilms.platform.RecoConfig;

/**
 * Champion/challenger promotion to the alias {@code production}: automatic after each training
 * ({@link PromotionPolicy}), or manual by version (promotion or rollback, by an operator). Every
 * decision is recorded; a promotion moves the alias, then publishes {@link ModelPromoted} on
 * reco.pipeline.events so that every API instance swaps its model. Blocking.
 */
@ApplicationScoped
public class PromotionService {

    private static final Logger LOG = Logger.getLogger(PromotionService.class);

    /** What a promotion call did. */
    public record Outcome(boolean promoted, ModelVersion version, String reason) {}

    private final ModelRegistry registry;
    private final PromotionDecisions decisions;
    private final MutinyEmitter<ModelPromoted> events;
    private final RecoConfig config;

    public PromotionService(
            ModelRegistry registry,
            PromotionDecisions decisions,
            @Channel("model-events-out") MutinyEmitter<ModelPromoted> events,
            RecoConfig config) {
        this.registry = registry;
        this.decisions = decisions;
        this.events = events;
        this.config = config;
    }

    public PromotionPolicy policy() {
        RecoConfig.Registry r = config.registry();
        return new PromotionPolicy(r.ndcgWeight(), r.precisionWeight(), r.recallWeight(), r.minGain());
    }

    /** Compares {@code challenger} with the champion and promotes it when the policy says so. */
    public Outcome autoPromote(ModelVersion challenger) {
        String model = challenger.modelName();
        String alias = config.registry().alias();
        Optional<ModelVersion> champion = registry.getByAlias(model, alias);
        PromotionPolicy.Decision d = policy().decide(
                        registry.getRun(challenger.runId()).metrics(),
                        champion.map(v -> registry.getRun(v.runId()).metrics()));
        decisions.record(
                model,
                challenger.version(),
                champion.map(ModelVersion::version).orElse(null),
                d.challengerScore(),
                d.championScore().orElse(null),
                d.promote() ? "PROMOTED" : "KEPT_CHAMPION",
                d.reason(),
                "auto");
        LOG.infof(
                "promotion of %s v%d: %s (%s)",
                model, challenger.version(), d.promote() ? "promoted" : "champion kept", d.reason());
        if (d.promote()) {
            moveAlias(challenger, "auto");
        }
        return new Outcome(d.promote(), d.promote() ? challenger : champion.orElse(challenger), d.reason());
    }

    /** Points the alias at {@code version} whatever the scores: a manual promotion or a rollback. */
    public Outcome promote(int version, String actor, String reason) {
        String model = config.registry().modelName();
        ModelVersion target = registry.getModelVersion(model, version)
                .orElseThrow(() -> new UnknownVersionException("no version " + version + " of model " + model));
        Optional<ModelVersion> champion =
                registry.getByAlias(model, config.registry().alias());
        String why = reason == null || reason.isBlank() ? "manual promotion" : reason;
        decisions.record(
                model, version, champion.map(ModelVersion::version).orElse(null), null, null, "PROMOTED", why, actor);
        moveAlias(target, actor);
        return new Outcome(true, target, why);
    }

    private void moveAlias(ModelVersion version, String actor) {
        String alias = config.registry().alias();
        registry.setAlias(version.modelName(), alias, version.version());
        ModelPromoted event = ModelPromoted.of(version, alias, actor);
        events.sendMessage(Message.of(event)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(version.runId())
                                .build()))
                .await()
                .atMost(Duration.ofSeconds(15));
    }

    /** A promotion asked for a version that does not exist (a 404, not a 500). */
    public static class UnknownVersionException extends RegistryException {
        public UnknownVersionException(String message) {
            super(message);
        }
    }
}
