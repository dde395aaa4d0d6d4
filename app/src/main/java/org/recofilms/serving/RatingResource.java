package org.recofilms.serving;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.platform.QueryParams;

/** POST /users/{user_id}/ratings: real-time feedback that the user's next recommendations reflect. */
@Path("/users/{user_id}/ratings")
@Tag(name = "recommendations")
public class RatingResource {

    private final RatingService service;

    public RatingResource(RatingService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Rate movies",
            description = "One {\"movie_id\", \"rating\"} or a list of different movies; ratings from 0.5 to 5.0"
                    + " in half steps, known movies only. Stored in PostgreSQL, then published as RatingSubmitted"
                    + " on reco.ratings. A new rating of the same movie replaces the earlier one.")
    @APIResponse(
            responseCode = "201",
            description = "Stored; published says whether Kafka took every RatingSubmitted in time",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RatingService.Stored.class)))
    @APIResponse(
            responseCode = "400",
            description = "A bad body: not JSON, a rating out of range, the same movie twice")
    @APIResponse(responseCode = "404", description = "A movie of the body is not in the catalogue; nothing is stored")
    @APIResponse(responseCode = "503", description = "The database did not answer in time; nothing is stored")
    public Uni<Response> rate(
            @Parameter(description = "user id, a positive integer", schema = @Schema(ref = "Id")) @PathParam("user_id")
                    String userId,
            @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(ref = "RatingsBody")))
                    String body) {
        int user = QueryParams.required("user_id", userId, 1, Integer.MAX_VALUE);
        return service.submit(user, body)
                .map(stored ->
                        Response.status(Response.Status.CREATED).entity(stored).build());
    }
}
