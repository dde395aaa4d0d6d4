package org.recofilms.platform;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The seed-compatible liveness and readiness endpoints. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "health")
public class HealthResource {

    private final ReadinessService readiness;

    public HealthResource(ReadinessService readiness) {
        this.readiness = readiness;
    }

    /** Body of GET /ready. */
    public record ReadyResponse(String status, Map<String, CheckResult> checks) {}

    @GET
    @Path("health")
    @Operation(summary = "Liveness: the process answers")
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }

    @GET
    @Path("ready")
    @Operation(summary = "Readiness: database, Kafka and model; 503 when a required part is down")
    public Uni<Response> ready() {
        return readiness
                .check()
                .map(r -> Response.status(r.ready() ? 200 : 503)
                        .entity(new ReadyResponse(r.ready() ? "ready" : "not_ready", r.checks()))
                        .build());
    }
}
