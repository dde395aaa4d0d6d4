package org.recofilms.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.ModelPromoted;
import org.recofilms.registry.ModelPublisher;
import org.recofilms.registry.ModelRegistry;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.RunInfo;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;
import org.recofilms.snapshot.ServingBundle;
import org.recofilms.training.ModelFamily;

/**
 * Loads the production model from the registry into memory: at start (the model readiness check
 * says "loading" meanwhile) and on every ModelPromoted event, in the background. The new model
 * replaces the old one in one atomic step once fully parsed; a missing or corrupt artifact never
 * replaces a working model (the error is logged and the current model keeps serving).
 */
@ApplicationScoped
public class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    private final ModelRegistry registry;
    private final ModelState state;
    private final RecoConfig config;
    private final ObjectMapper json;
    private final MovieCatalog catalog;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "model-loader");
        t.setDaemon(true);
        return t;
    });

    public ModelLoader(
            ModelRegistry registry, ModelState state, RecoConfig config, ObjectMapper json, MovieCatalog catalog) {
        this.registry = registry;
        this.state = state;
        this.config = config;
        this.json = json;
        this.catalog = catalog;
    }

    // first among the start observers: the load runs in the background while the rest starts
    void onStart(@Observes @Priority(1) StartupEvent event) {
        state.set(new ModelState.Snapshot(ModelState.Phase.LOADING, Optional.empty(), "loading the production model"));
        loader.submit(() -> {
            try {
                Optional<ModelVersion> production = registry.getByAlias(
                        config.registry().modelName(), config.registry().alias());
                if (production.isEmpty()) {
                    state.set(new ModelState.Snapshot(
                            ModelState.Phase.FALLBACK, Optional.empty(), "no production model: popularity fallback"));
                    return;
                }
                load(production.get());
            } catch (RuntimeException e) {
                LOG.errorf("could not load the production model at start: %s", e.getMessage());
                state.set(new ModelState.Snapshot(
                        ModelState.Phase.FALLBACK, Optional.empty(), "production model not loaded: " + e.getMessage()));
            }
        });
    }

    /** Every API instance hears every promotion (a consumer group of its own) and swaps in the background. */
    @Incoming("pipeline-events-in")
    @Blocking
    public void onEvent(String record) {
        try {
            JsonNode event = json.readTree(record);
            if (!ModelPromoted.TYPE.equals(event.path("type").asText())
                    || !config.registry().modelName().equals(event.path("model").asText())) {
                return;
            }
            int version = event.path("version").asInt();
            ModelVersion target = registry.getModelVersion(config.registry().modelName(), version)
                    .orElseThrow(() -> new IllegalStateException("version " + version + " not in the registry"));
            loader.submit(() -> {
                try {
                    // Promotions close together may arrive out of order (their events are keyed by run id, on
                    // several partitions): the loads run one at a time, and each loads what the alias names
                    // when it runs, so the last one leaves the instance on the current production version.
                    ModelVersion current = registry.getByAlias(
                                    config.registry().modelName(),
                                    config.registry().alias())
                            .orElse(target);
                    if (current.version() != version) {
                        LOG.infof(
                                "model event for version %d, but %s is now version %d: loading that",
                                version, config.registry().alias(), current.version());
                    }
                    load(current);
                } catch (RuntimeException e) {
                    LOG.errorf(
                            "model version %d not loaded, the current model keeps serving: %s",
                            version, e.getMessage());
                }
            });
        } catch (Exception e) {
            LOG.errorf("unreadable model event, ignored: %s", e.getMessage());
        }
    }

    /** Downloads, parses and swaps in {@code version}; throws, leaving the current model, on any failure. */
    public ServingModel load(ModelVersion version) {
        long t0 = System.nanoTime();
        Path dir = Path.of(config.data().dir()).resolve("serving").resolve(version.runId());
        try {
            Files.createDirectories(dir);
            String bundle = ModelPublisher.ARTIFACT_DIR + "/" + ServingBundle.FILE;
            Path bundleFile = dir.resolve(ServingBundle.FILE);
            // every published version carries serving.bin (ModelPublisher); the Parquet files are the seed's
            registry.downloadArtifact(version.runId(), bundle, bundleFile);
            long downloaded = System.nanoTime();
            ServingBundle.Bundle arrays = ServingBundle.read(bundleFile);
            NeighborArrays neighbors = arrays.neighbors();
            PopularityArrays popularity = arrays.popularity();
            RunInfo run = registry.getRun(version.runId());
            // versions from before the families carry no family: item-kNN
            ModelFamily family = ModelFamily.find(
                            run.tags().getOrDefault("family", run.params().getOrDefault("family", "itemknn")))
                    .orElseThrow(() -> new IllegalStateException("version " + version.version()
                            + " has an unknown family: " + run.tags().get("family")));
            ServingModel model;
            if (family.itemItem()) {
                model = new ServingModel(
                        version, family, neighbors, popularity, run.params(), run.metrics(), run.tags(), Instant.now());
            } else {
                Path factorsFile = dir.resolve(FactorBundle.FILE);
                registry.downloadArtifact(
                        version.runId(), ModelPublisher.ARTIFACT_DIR + "/" + FactorBundle.FILE, factorsFile);
                model = ServingModel.factors(
                        version,
                        FactorBundle.read(factorsFile),
                        popularity,
                        run.params(),
                        run.metrics(),
                        run.tags(),
                        Instant.now());
            }
            // a new model usually follows a new ingestion: the catalogue must know its movies first
            try {
                catalog.sync().await().atMost(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                LOG.warnf("movie catalogue not refreshed before the model swap: %s", e.getMessage());
            }
            state.swap(model);
            LOG.infof(
                    "serving %s version %d (%s, %d movies with neighbours), loaded in %.2f s (artifacts fetched"
                            + " in %.2f s, parsed in %.2f s)",
                    version.modelName(),
                    version.version(),
                    family.id(),
                    neighbors.size(),
                    (System.nanoTime() - t0) / 1e9,
                    (downloaded - t0) / 1e9,
                    (System.nanoTime() - downloaded) / 1e9);
            return model;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
    }
}
