package org.recofilms.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.QueryParams;

/**
 * Pipeline triggers (operators only: X-API-Key) and run tracking. A trigger answers 202 with the new
 * QUEUED run, or 200 with {@code "already_active": true} and the conflicting run when one is queued
 * or running; 503 when Kafka could not take the request (the run is then NOT_ENQUEUED).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pipelines")
public class PipelineResource {

    private final PipelineTriggers triggers;
    private final PipelineRunRepository runs;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public PipelineResource(
            PipelineTriggers triggers, PipelineRunRepository runs, SecurityIdentity identity, ObjectMapper json) {
        this.triggers = triggers;
        this.runs = runs;
        this.identity = identity;
        this.json = json;
    }

    /** Body of GET /pipelines/runs. */
    public record RunPage(List<PipelineRun> runs, int page, int size) {}

    @POST
    @Path("pipelines/{kind}")
    @RolesAllowed("operator")
    @Blocking
    @Operation(
            summary = "Trigger a pipeline run: ingestion, training, daily or monitoring (operators: X-API-Key)",
            description = "Optional JSON body of string parameters: source (ingestion, daily), day (monitoring).")
    public Response trigger(@PathParam("kind") String kind, String body) {
        return answer(PipelineKind.parse(kind), body);
    }

    @POST
    @Path("data")
    @RolesAllowed("operator")
    @Blocking
    @Operation(summary = "Seed-compatible: trigger an ingestion run (operators: X-API-Key)")
    public Response data(String body) {
        return answer(PipelineKind.INGESTION, body);
    }

    @POST
    @Path("training")
    @RolesAllowed("operator")
    @Blocking
    @Operation(summary = "Seed-compatible: trigger a training run (operators: X-API-Key)")
    public Response training(String body) {
        return answer(PipelineKind.TRAINING, body);
    }

    @GET
    @Path("pipelines/runs")
    @Blocking
    @Operation(summary = "Pipeline runs, newest first, by kind and status, paged")
    public RunPage list(
            @QueryParam("kind") String kind,
            @QueryParam("status") String status,
            @QueryParam("page") String page,
            @QueryParam("size") String size)
            throws SQLException {
        int p = QueryParams.optional("page", page, 0, 0, Integer.MAX_VALUE / 100);
        int s = QueryParams.optional("size", size, 20, 1, 100);
        return new RunPage(
                runs.list(
                        blank(kind) ? null : PipelineKind.parse(kind),
                        blank(status) ? null : RunStatus.parse(status),
                        p,
                        s),
                p,
                s);
    }

    @GET
    @Path("pipelines/runs/{id}")
    @Blocking
    @Operation(summary = "One pipeline run with its steps")
    public PipelineRun get(@PathParam("id") String id) throws SQLException {
        UUID runId;
        try {
            runId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("run id must be a UUID, got '" + id + "'");
        }
        return runs.findForRequest(runId).orElseThrow(() -> new NotFoundException("no pipeline run " + runId));
    }

    private Response answer(PipelineKind kind, String body) {
        PipelineTriggers.Triggered triggered;
        try {
            triggered = triggers.trigger(
                    kind, params(body), "rest:" + identity.getPrincipal().getName());
        } catch (PipelineTriggers.NotEnqueuedException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
        ObjectNode out = json.valueToTree(triggered.run());
        out.put("already_active", triggered.alreadyActive());
        return Response.status(triggered.alreadyActive() ? Response.Status.OK : Response.Status.ACCEPTED)
                .header(
                        HttpHeaders.LOCATION,
                        "/pipelines/runs/" + triggered.run().runId())
                .type(MediaType.APPLICATION_JSON)
                .entity(out)
                .build();
    }

    private Map<String, String> params(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (blank(body)) {
            return params;
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body must be a JSON object of string parameters: " + e.getOriginalMessage());
        }
        if (tree == null || tree.isNull()) {
            return params;
        }
        if (!tree.isObject()) {
            throw new BadRequestException("body must be a JSON object of string parameters");
        }
        for (var it = tree.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BadRequestException("parameter '" + e.getKey() + "' must be a string");
            }
            params.put(e.getKey(), e.getValue().asText());
        }
        return params;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
