package org.recofilms.serving;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.QueryParams;

/** GET /recommend, the seed's endpoint: a user's top-N movies with the reasons and the model version. */
@Path("/recommend")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recommendations")
public class RecommendationResource {

    /** The largest top_n a request may ask for. */
    public static final int MAX_TOP_N = 100;

    private final RecommendationService service;

    public RecommendationResource(RecommendationService service) {
        this.service = service;
    }

    @GET
    @Operation(
            summary = "Top-N movies for a user",
            description = "Item-based CF over the user's movies rated 4.0 or more (else all rated); users with"
                    + " fewer than 5 ratings, unknown users, or no candidate get the Bayesian popularity"
                    + " list, and strategy/reason say so. Seen movies are never recommended.")
    @APIResponse(responseCode = "200", description = "The user's recommendations")
    @APIResponse(responseCode = "503", description = "The database did not answer in time")
    public Uni<RecommendationService.Answer> recommend(
            @Parameter(
                            description = "user id, a positive integer (an unknown user gets the popular movies)",
                            required = true,
                            schema = @Schema(ref = "Id"))
                    @QueryParam("user_id")
                    String userId,
            @Parameter(description = "how many movies, 1 to 100 (default 10)", schema = @Schema(ref = "Limit"))
                    @QueryParam("top_n")
                    String topN) {
        int user = QueryParams.required("user_id", userId, 1, Integer.MAX_VALUE);
        int n = QueryParams.optional("top_n", topN, 10, 1, MAX_TOP_N);
        return service.recommend(user, n);
    }
}
