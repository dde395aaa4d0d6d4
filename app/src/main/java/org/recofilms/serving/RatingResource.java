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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
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
            description = "One {\"movie_id\", \"rating\"} or a list; ratings from 0.5 to 5.0 in half steps, known"
                    + " movies only. Stored in PostgreSQL, then published as RatingSubmitted on reco.ratings."
                    + " A new rating of the same movie replaces the earlier one.")
    public Uni<Response> rate(@PathParam("user_id") String userId, @RequestBody String body) {
        int user = QueryParams.required("user_id", userId, 1, Integer.MAX_VALUE);
        return service.submit(user, body)
                .map(stored ->
                        Response.status(Response.Status.CREATED).entity(stored).build());
    }
}
