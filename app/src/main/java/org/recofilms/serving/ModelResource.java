package org.recofilms.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.RecoConfig;

/** What the serving side holds: the production model's metadata and configuration, as the seed's API. */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "model")
public class ModelResource {

    private final ModelState state;
    private final RecoConfig config;

    public ModelResource(ModelState state, RecoConfig config) {
        this.state = state;
        this.config = config;
    }

    /** Body of GET /model/metadata; the model fields are absent while the popularity fallback serves. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metadata(
            String status,
            String detail,
            String name,
            Integer version,
            String runId,
            Instant createdAt,
            Instant loadedAt,
            String gitCommit,
            String datasetMd5,
            Map<String, String> tags,
            Map<String, Double> metrics) {}

    @GET
    @Path("metadata")
    @Operation(summary = "The production model: version, run, metrics, tags, dataset hash, git commit")
    public Metadata metadata() {
        ModelState.Snapshot s = state.current();
        return state.model()
                .map(m -> new Metadata(
                        s.phase().name().toLowerCase(),
                        s.detail(),
                        m.version().modelName(),
                        m.version().version(),
                        m.version().runId(),
                        Instant.ofEpochMilli(m.version().createdMillis()),
                        m.loadedAt(),
                        m.tags().get("git_commit"),
                        m.tags().get("dataset_md5"),
                        m.tags(),
                        m.metrics()))
                .orElseGet(() -> new Metadata(
                        s.phase().name().toLowerCase(),
                        s.detail(),
                        config.registry().modelName(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    @GET
    @Path("config")
    @Operation(summary = "The production model's configuration: k_neighbors, min_ratings, distance, options")
    public Map<String, Object> config() {
        Map<String, Object> out = new LinkedHashMap<>();
        state.model()
                .ifPresentOrElse(
                        m -> {
                            out.put(
                                    "source",
                                    "production model version " + m.version().version());
                            out.putAll(m.params());
                        },
                        () -> {
                            RecoConfig.Training t = config.training();
                            out.put("source", "configuration (no production model yet)");
                            out.put("k_neighbors", t.kNeighbors());
                            out.put("min_ratings", t.minRatings());
                            out.put("distance", "cosine");
                            out.put("shrinkage", t.shrinkage());
                            out.put("min_co_ratings", t.minCoRatings());
                            out.put("positive_threshold", t.positiveThreshold());
                        });
        return out;
    }
}
