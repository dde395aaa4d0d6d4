package org.recofilms.registry;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.QueryParams;
import org.recofilms.platform.RecoConfig;
import org.recofilms.platform.StrictJson;

/** Manual promotion and rollback (operators only) and the history of promotion decisions. */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "model")
public class PromotionResource {

    private final PromotionService promotion;
    private final PromotionDecisions decisions;
    private final SecurityIdentity identity;
    private final RecoConfig config;

    public PromotionResource(
            PromotionService promotion, PromotionDecisions decisions, SecurityIdentity identity, RecoConfig config) {
        this.promotion = promotion;
        this.decisions = decisions;
        this.identity = identity;
        this.config = config;
    }

    /** Body of a promotion or rollback. */
    @Schema(requiredProperties = "version")
    public record PromotionRequest(
            @Schema(minimum = "1", maximum = "2147483647", examples = "1")
            @JsonDeserialize(using = StrictJson.Int.class)
            Integer version,

            @Schema(nullable = true, description = "why, for the decision log")
            @JsonDeserialize(using = StrictJson.Text.class)
            String reason) {}

    /** Answer of a promotion or rollback. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PromotionAnswer(
            String model,
            int version,
            String alias,
            @Schema(nullable = true) String runId,
            String reason) {}

    @POST
    @Path("promote")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    @Blocking
    @Operation(summary = "Point the production alias at a version (operators: X-API-Key)")
    @APIResponse(responseCode = "200", description = "The alias points at the version")
    @APIResponse(responseCode = "404", description = "No such version of the model")
    @APIResponse(responseCode = "503", description = "The registry or the database did not answer")
    public PromotionAnswer promote(PromotionRequest request) {
        return move(request, "manual promotion");
    }

    @POST
    @Path("rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    @Blocking
    @Operation(summary = "Roll the production alias back to an earlier version (operators: X-API-Key)")
    @APIResponse(responseCode = "200", description = "The alias points at the version")
    @APIResponse(responseCode = "404", description = "No such version of the model")
    @APIResponse(responseCode = "503", description = "The registry or the database did not answer")
    public PromotionAnswer rollback(PromotionRequest request) {
        return move(request, "rollback");
    }

    private PromotionAnswer move(PromotionRequest request, String what) {
        String actor = identity.getPrincipal().getName();
        if (request == null || request.version() == null || request.version() < 1) {
            throw new BadRequestException("body must be {\"version\": N} with N >= 1");
        }
        try {
            String reason =
                    request.reason() == null || request.reason().isBlank() ? what : what + ": " + request.reason();
            PromotionService.Outcome outcome = promotion.promote(request.version(), actor, reason);
            ModelVersion v = outcome.version();
            return new PromotionAnswer(
                    v.modelName(), v.version(), config.registry().alias(), v.runId(), outcome.reason());
        } catch (PromotionService.UnknownVersionException e) {
            throw new NotFoundException(e.getMessage());
        }
    }

    @GET
    @Path("promotions")
    @Blocking
    @Operation(summary = "Promotion decisions, newest first")
    @APIResponse(responseCode = "200", description = "The decisions")
    @APIResponse(responseCode = "503", description = "The database did not answer in time")
    public List<PromotionDecisions.Decision> promotions(
            @Parameter(
                            description = "how many decisions, 1 to 500 (default 20)",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            format = "int32",
                                            minimum = "1",
                                            maximum = "500",
                                            defaultValue = "20"))
                    @QueryParam("limit")
                    String limit) {
        int n = QueryParams.optional("limit", limit, 20, 1, 500);
        return decisions.latest(config.registry().modelName(), n);
    }
}
