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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.JsonErrors;
import org.recofilms.platform.QueryParams;
import org.recofilms.training.TrainingRequests;
import org.recofilms.training.TuningRequests;

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
    private final TrainingRequests trainingRequests;
    private final TuningRequests tuningRequests;

    public PipelineResource(
            PipelineTriggers triggers,
            PipelineRunRepository runs,
            SecurityIdentity identity,
            ObjectMapper json,
            TrainingRequests trainingRequests,
            TuningRequests tuningRequests) {
        this.trainingRequests = trainingRequests;
        this.tuningRequests = tuningRequests;
        this.triggers = triggers;
        this.runs = runs;
        this.identity = identity;
        this.json = json;
    }

    /** Body of GET /pipelines/runs. */
    public record RunPage(List<PipelineRun> runs, int page, int size) {}

    /** A UUID in its 36-character form or as its 32 hex digits alone (as Python's uuid.UUID takes it). */
    private static final java.util.regex.Pattern UUID_TEXT = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    @POST
    @Path("pipelines/{kind}")
    @RolesAllowed("operator")
    @Blocking
    @Operation(
            summary = "Trigger a pipeline run: ingestion, training, daily or monitoring (operators: X-API-Key)",
            description = "Optional JSON body: string parameters source (ingestion, daily), day and backfill"
                    + " (monitoring); for training a TrainingRequest (family and its parameters). Tuning has"
                    + " its own operation, POST /pipelines/tuning.")
    @APIResponse(
            responseCode = "202",
            description = "The new QUEUED run (already_active false); Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(
            responseCode = "200",
            description = "A run of this kind is queued or running already: that run (already_active true)",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(responseCode = "503", description = "Kafka did not take the request: the run is NOT_ENQUEUED")
    public Response trigger(
            @Parameter(
                            description = "the pipeline",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"ingestion", "training", "daily", "monitoring"}))
                    @PathParam("kind")
                    String kind,
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(ref = "PipelineBody")))
                    String body) {
        return answer(PipelineKind.parse(kind), body);
    }

    @POST
    @Path("pipelines/tuning")
    @RolesAllowed("operator")
    @Blocking
    @Operation(
            summary = "Trigger a tuning run: a search over one family's parameters (operators: X-API-Key)",
            description = "Optional JSON body: a TuningRequest. Every trial is trained on one split and scored on"
                    + " the validation users only; each is a child run of one parent run in the registry; the"
                    + " best is trained on all the data, evaluated on the test users, registered and promoted as"
                    + " a training run is.")
    @APIResponse(
            responseCode = "202",
            description = "The new QUEUED run (already_active false); Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(
            responseCode = "200",
            description =
                    "A tuning, training or daily run is queued or running already: that run (already_active" + " true)",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(responseCode = "503", description = "Kafka did not take the request: the run is NOT_ENQUEUED")
    public Response tuning(
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(ref = "TuningRequest")))
                    String body) {
        return answer(PipelineKind.TUNING, body);
    }

    @POST
    @Path("data")
    @RolesAllowed("operator")
    @Blocking
    @Operation(summary = "Seed-compatible: trigger an ingestion run (operators: X-API-Key)")
    @APIResponse(
            responseCode = "202",
            description = "The new QUEUED run (already_active false); Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(
            responseCode = "200",
            description = "A run of this kind is queued or running already: that run (already_active true)",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(responseCode = "503", description = "Kafka did not take the request: the run is NOT_ENQUEUED")
    public Response data(
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(ref = "PipelineParams")))
                    String body) {
        return answer(PipelineKind.INGESTION, body);
    }

    @POST
    @Path("training")
    @RolesAllowed("operator")
    @Blocking
    @Operation(
            summary = "Seed-compatible: trigger a training run (operators: X-API-Key)",
            description = "Optional JSON body: a TrainingRequest (family and its parameters).")
    @APIResponse(
            responseCode = "202",
            description = "The new QUEUED run (already_active false); Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(
            responseCode = "200",
            description = "A run of this kind is queued or running already: that run (already_active true)",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TriggeredRun")))
    @APIResponse(responseCode = "503", description = "Kafka did not take the request: the run is NOT_ENQUEUED")
    public Response training(
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(ref = "TrainingRequest")))
                    String body) {
        return answer(PipelineKind.TRAINING, body);
    }

    @GET
    @Path("pipelines/runs")
    @Blocking
    @Operation(summary = "Pipeline runs, newest first, by kind and status, paged")
    @APIResponse(responseCode = "200", description = "One page of runs")
    @APIResponse(responseCode = "503", description = "The database did not answer in time")
    public RunPage list(
            @Parameter(
                            description = "only runs of this kind",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"ingestion", "training", "daily", "monitoring", "tuning"}))
                    @QueryParam("kind")
                    String kind,
            @Parameter(description = "only runs in this status (case-insensitive)", schema = @Schema(ref = "RunStatus"))
                    @QueryParam("status")
                    String status,
            @Parameter(
                            description = "page number, from 0 (default 0)",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            format = "int32",
                                            minimum = "0",
                                            maximum = "21474836",
                                            defaultValue = "0"))
                    @QueryParam("page")
                    String page,
            @Parameter(
                            description = "runs per page, 1 to 100 (default 20)",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            format = "int32",
                                            minimum = "1",
                                            maximum = "100",
                                            defaultValue = "20"))
                    @QueryParam("size")
                    String size)
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
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "503", description = "The database did not answer in time")
    public PipelineRun get(
            @Parameter(description = "the run id, a UUID (hyphens optional)", schema = @Schema(ref = "RunId"))
                    @PathParam("id")
                    String id)
            throws SQLException {
        // UUID.fromString would take "1-1-1-1-1" and refuse the 32 digits alone
        if (!UUID_TEXT.matcher(id).matches()) {
            throw new BadRequestException("run id must be a UUID, got '" + abbreviate(id) + "'");
        }
        String hex = id.replace("-", "");
        UUID runId = new UUID(
                Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        return runs.findForRequest(runId).orElseThrow(() -> new NotFoundException("no pipeline run " + runId));
    }

    private Response answer(PipelineKind kind, String body) {
        PipelineTriggers.Triggered triggered;
        try {
            Map<String, String> params = kind.takesTrainingRequest()
                    ? trainingRequests.parse(tree(body)).asParams()
                    : kind.takesTuningRequest()
                            ? tuningRequests.asParams(tuningRequests.parse(tree(body)))
                            : params(body);
            triggered = triggers.trigger(
                    kind, params, "rest:" + identity.getPrincipal().getName());
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

    /** A training request's body: null when absent (the configured family and parameters). */
    private JsonNode tree(String body) {
        if (blank(body)) {
            return null;
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(
                    "body must be a JSON object: family and its parameters; " + JsonErrors.describe(e));
        }
        // a JSON null is not an object: only an absent body means the defaults
        if (tree == null || !tree.isObject()) {
            throw new BadRequestException("body must be a JSON object: family and its parameters");
        }
        return tree;
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
            throw new BadRequestException("body must be a JSON object of string parameters; " + JsonErrors.describe(e));
        }
        // a JSON null is not an object: only an absent body means no parameters
        if (tree == null || !tree.isObject()) {
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

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
