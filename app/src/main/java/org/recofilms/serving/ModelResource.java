package org.recofilms.serving;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.QueryParams;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.ModelRegistry;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.RegistryException;
import org.recofilms.registry.RunInfo;

/** What the serving side holds: the production model's metadata and configuration, as the seed's API. */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "model")
public class ModelResource {

    private final ModelState state;
    private final RecoConfig config;
    private final ModelRegistry registry;

    public ModelResource(ModelState state, RecoConfig config, ModelRegistry registry) {
        this.state = state;
        this.config = config;
        this.registry = registry;
    }

    /** One registered version in GET /model/versions: its family, parameters and metrics. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VersionSummary(
            int version,

            @Schema(
                    nullable = true,
                    description = "null for a version registered before the families",
                    enumeration = {"itemknn", "rp3beta", "ease", "ials"})
            String family,

            String runId,
            Instant createdAt,

            @Schema(description = "true for the version this instance serves")
            boolean serving,

            Map<String, String> params,
            Map<String, Double> metrics) {}

    @GET
    @Path("versions")
    @Blocking
    @Operation(summary = "The newest registered versions of the model, with family, parameters and metrics")
    @APIResponse(responseCode = "200", description = "The versions, newest first")
    @APIResponse(responseCode = "503", description = "The registry did not answer")
    public List<VersionSummary> versions(
            @Parameter(
                            description = "how many versions, 1 to 50 (default 10)",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            format = "int32",
                                            minimum = "1",
                                            maximum = "50",
                                            defaultValue = "10"))
                    @QueryParam("limit")
                    String limit) {
        int n = QueryParams.optional("limit", limit, 10, 1, 50);
        Integer serving = state.model().map(m -> m.version().version()).orElse(null);
        try {
            List<VersionSummary> out = new ArrayList<>();
            for (ModelVersion v : registry.latestModelVersions(config.registry().modelName(), n)) {
                RunInfo run = registry.getRun(v.runId());
                out.add(new VersionSummary(
                        v.version(),
                        v.tags().getOrDefault("family", run.params().get("family")),
                        v.runId(),
                        Instant.ofEpochMilli(v.createdMillis()),
                        serving != null && serving == v.version(),
                        run.params(),
                        run.metrics()));
            }
            return out;
        } catch (RegistryException e) {
            throw new ServiceUnavailableException("registry: " + e.getMessage());
        }
    }

    /** A parameter value that reads as a JSON number. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** Body of GET /model/metadata; the model fields are null while the popularity fallback serves. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Metadata(
            @Schema(description = "what serves: loading, serving or fallback (the popularity list)")
            String status,

            @Schema(nullable = true) String detail,
            String name,
            @Schema(nullable = true) Integer version,
            @Schema(nullable = true) String runId,
            @Schema(nullable = true) Instant createdAt,
            @Schema(nullable = true) Instant loadedAt,
            @Schema(nullable = true) String gitCommit,
            @Schema(nullable = true) String datasetMd5,
            @Schema(nullable = true) Map<String, String> tags,
            @Schema(nullable = true) Map<String, Double> metrics,

            @Schema(
                    nullable = true,
                    description = "the model's family",
                    enumeration = {"itemknn", "rp3beta", "ease", "ials"})
            String family,

            @Schema(nullable = true, description = "the model's parameters, as the registry holds them (text)")
            Map<String, String> params) {

        /** Metadata with the serving side's {@code status} and {@code detail}; the model fields stay null until given. */
        static Builder builder(String status, String detail) {
            return new Builder(status, detail);
        }

        /** Names the fields of a {@link Metadata}. */
        static final class Builder {
            private final String status;
            private final String detail;
            private String name;
            private Integer version;
            private String runId;
            private Instant createdAt;
            private Instant loadedAt;
            private String gitCommit;
            private String datasetMd5;
            private Map<String, String> tags;
            private Map<String, Double> metrics;
            private String family;
            private Map<String, String> params;

            private Builder(String status, String detail) {
                this.status = status;
                this.detail = detail;
            }

            Builder name(String name) {
                this.name = name;
                return this;
            }

            Builder version(Integer version) {
                this.version = version;
                return this;
            }

            Builder runId(String runId) {
                this.runId = runId;
                return this;
            }

            Builder createdAt(Instant createdAt) {
                this.createdAt = createdAt;
                return this;
            }

            Builder loadedAt(Instant loadedAt) {
                this.loadedAt = loadedAt;
                return this;
            }

            Builder gitCommit(String gitCommit) {
                this.gitCommit = gitCommit;
                return this;
            }

            Builder datasetMd5(String datasetMd5) {
                this.datasetMd5 = datasetMd5;
                return this;
            }

            Builder tags(Map<String, String> tags) {
                this.tags = tags;
                return this;
            }

            Builder metrics(Map<String, Double> metrics) {
                this.metrics = metrics;
                return this;
            }

            Builder family(String family) {
                this.family = family;
                return this;
            }

            Builder params(Map<String, String> params) {
                this.params = params;
                return this;
            }

            Metadata build() {
                return new Metadata(
                        status,
                        detail,
                        name,
                        version,
                        runId,
                        createdAt,
                        loadedAt,
                        gitCommit,
                        datasetMd5,
                        tags,
                        metrics,
                        family,
                        params);
            }
        }
    }

    @GET
    @Path("metadata")
    @Operation(summary = "The production model: version, family, params, run, metrics, tags, dataset hash, git commit")
    public Metadata metadata() {
        ModelState.Snapshot s = state.current();
        Metadata.Builder metadata = Metadata.builder(s.phase().name().toLowerCase(), s.detail());
        return state.model()
                .map(m -> metadata.name(m.version().modelName())
                        .version(m.version().version())
                        .runId(m.version().runId())
                        .createdAt(Instant.ofEpochMilli(m.version().createdMillis()))
                        .loadedAt(m.loadedAt())
                        .gitCommit(m.tags().get("git_commit"))
                        .datasetMd5(m.tags().get("dataset_md5"))
                        .tags(m.tags())
                        .metrics(m.metrics())
                        .family(m.family().id())
                        .params(m.params())
                        .build())
                .orElseGet(() -> metadata.name(config.registry().modelName()).build());
    }

    @GET
    @Path("config")
    @Operation(summary = "The production model's configuration: k_neighbors, min_ratings, distance, options")
    @APIResponse(
            responseCode = "200",
            description = "The parameters, numbers and booleans as JSON numbers and booleans",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ModelConfig")))
    public Map<String, Object> config() {
        Map<String, Object> out = new LinkedHashMap<>();
        state.model()
                .ifPresentOrElse(
                        m -> {
                            out.put(
                                    "source",
                                    "production model version " + m.version().version());
                            m.params().forEach((k, v) -> out.put(k, typed(v)));
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

    /** A registry parameter (always text there) as the JSON value it reads as: a number, a boolean or text. */
    static Object typed(String value) {
        if (value == null) {
            return null;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        if (NUMBER.matcher(value).matches()) {
            BigDecimal number = new BigDecimal(value);
            boolean integral = value.indexOf('.') < 0 && value.indexOf('e') < 0 && value.indexOf('E') < 0;
            if (integral) {
                return number.toBigInteger().bitLength() < 64 ? (Object) number.longValue() : number;
            }
            double d = number.doubleValue();
            return Double.isInfinite(d) ? number : (Object) d;
        }
        return value;
    }
}
