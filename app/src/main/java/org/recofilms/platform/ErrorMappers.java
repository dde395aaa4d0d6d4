package org.recofilms.platform;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps exceptions to the JSON error contract of DESIGN.md. Bad input is a 4xx with a message;
 * only a fault of ours is a 500, and then the detail stays in the log, not in the answer.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return json(Response.Status.BAD_REQUEST, "bad_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String error = known == null ? "http_" + status : known.name().toLowerCase();
        String detail = e.getMessage() == null ? (known == null ? "" : known.getReasonPhrase()) : e.getMessage();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(error, detail))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return json(Response.Status.INTERNAL_SERVER_ERROR, "internal_error", "see the server log");
    }

    private static Response json(Response.Status status, String error, String detail) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(error, detail))
                .build();
    }
}
