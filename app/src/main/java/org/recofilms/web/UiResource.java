package org.recofilms.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.RecoConfig;

/** What the web demo (src/main/resources/META-INF/resources) needs beyond the API: links to the tools around it. */
@Path("/ui")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "web demo")
public class UiResource {

    private final RecoConfig config;

    public UiResource(RecoConfig config) {
        this.config = config;
    }

    /** Links for the browser; a null URL is not configured. */
    public record UiConfig(
            @JsonProperty("grafana_url") @Schema(nullable = true, description = "null when not configured")
            String grafanaUrl,

            @JsonProperty("mlflow_url") @Schema(nullable = true, description = "null when not configured")
            String mlflowUrl,

            @JsonProperty("api_docs_url") String apiDocsUrl,
            @JsonProperty("openapi_url") String openapiUrl,
            @JsonProperty("metrics_url") String metricsUrl) {}

    @GET
    @Path("config")
    @Operation(summary = "Links shown by the web demo: Grafana, MLflow, API docs, OpenAPI, metrics")
    public UiConfig config() {
        RecoConfig.Ui ui = config.ui();
        String mlflow = ui.mlflowUrl().or(() -> config.mlflow().trackingUri()).orElse(null);
        return new UiConfig(ui.grafanaUrl().orElse(null), mlflow, "/docs", "/q/openapi", "/q/metrics");
    }
}
