package org.recofilms.registry;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.recofilms.platform.RecoConfig;
import org.recofilms.training.evaluation.FullRankingMetrics;
import org.recofilms.training.evaluation.UserMetricsFile;

/**
 * Champion/challenger promotion to the alias {@code production}: automatic after each training
 * ({@link PromotionPolicy}: by default full-ranking NDCG@100, paired user by user when both versions' artifacts
 * hold their per-user test metrics from the same split, a gain promoted only above
 * {@code reco.promotion.min-standard-errors} standard errors), or manual by version (promotion or rollback, by an operator). Every
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
        // a bad reco.promotion.* value fails the bean's creation, naming the key's value, not a later promotion
        policy();
    }

    public PromotionPolicy policy() {
        RecoConfig.Registry r = config.registry();
        RecoConfig.Promotion p = config.promotion();
        return new PromotionPolicy(
                p.metric(), p.minStandardErrors(), r.ndcgWeight(), r.precisionWeight(), r.recallWeight(), r.minGain());
    }

    /** Compares {@code challenger} with the champion and promotes it when the policy says so. */
    public Outcome autoPromote(ModelVersion challenger) {
        String model = challenger.modelName();
        String alias = config.registry().alias();
        Optional<ModelVersion> champion = registry.getByAlias(model, alias);
        PromotionPolicy policy = policy();
        PromotionPolicy.Candidate challengerSide = candidate(challenger, policy);
        Optional<PromotionPolicy.Candidate> championSide = champion.map(v -> candidate(v, policy));
        PromotionPolicy.Decision d = policy.decide(challengerSide, championSide);
        decisions.record(PromotionDecisions.Entry.of(
                        model, d.promote() ? "PROMOTED" : "KEPT_CHAMPION", d.reason(), "auto")
                .challenger(challenger.version(), challengerSide.family())
                .champion(
                        champion.map(ModelVersion::version).orElse(null),
                        championSide.map(PromotionPolicy.Candidate::family).orElse(null))
                .evidence(d));
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
        decisions.record(PromotionDecisions.Entry.of(model, "PROMOTED", why, actor)
                .challenger(version, family(target, registry.getRun(target.runId())))
                .champion(
                        champion.map(ModelVersion::version).orElse(null),
                        champion.map(v -> family(v, registry.getRun(v.runId()))).orElse(null)));
        moveAlias(target, actor);
        return new Outcome(true, target, why);
    }

    /** A version's run metrics, family and, for a full-ranking metric, its per-user test metrics when logged. */
    private PromotionPolicy.Candidate candidate(ModelVersion version, PromotionPolicy policy) {
        RunInfo run = registry.getRun(version.runId());
        Optional<FullRankingMetrics> perUser =
                PromotionPolicy.SEED_WEIGHTED.equals(policy.metric()) ? Optional.empty() : perUserMetrics(version);
        return new PromotionPolicy.Candidate(family(version, run), run.metrics(), perUser);
    }

    /** The {@code family} param of the run, else its tag or the version's, else the seed's item-kNN. */
    static String family(ModelVersion version, RunInfo run) {
        for (Map<String, String> source : List.of(run.params(), run.tags(), version.tags())) {
            String f = source == null ? null : source.get("family");
            if (f != null && !f.isBlank()) {
                return f;
            }
        }
        return PromotionPolicy.DEFAULT_FAMILY;
    }

    /**
     * The per-user metrics file among the version's run artifacts ({@code model/full_ranking_users.json}), when
     * present and readable; a version without it is compared unpaired.
     */
    private Optional<FullRankingMetrics> perUserMetrics(ModelVersion version) {
        try {
            Optional<String> artifact = registry.listArtifacts(version.runId()).stream()
                    .filter(p -> p.equals(UserMetricsFile.FILE) || p.endsWith("/" + UserMetricsFile.FILE))
                    .findFirst();
            if (artifact.isEmpty()) {
                return Optional.empty();
            }
            Path tmp = Files.createTempFile("full-ranking-users-", ".json");
            try {
                registry.downloadArtifact(version.runId(), artifact.get(), tmp);
                return Optional.of(UserMetricsFile.read(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RegistryException e) {
            LOG.warnf(
                    "per-user metrics of %s v%d unreadable, compared unpaired: %s",
                    version.modelName(), version.version(), e.getMessage());
            return Optional.empty();
        }
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
