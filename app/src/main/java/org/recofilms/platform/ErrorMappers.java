package org.recofilms.platform;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
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

    /** An operator endpoint called without a key ({@code @RolesAllowed} on an anonymous request). */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, OperatorKeyMechanism.SCHEME)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(
                        "unauthorized",
                        "operator endpoint: send the operator key in the " + OperatorKeyMechanism.HEADER + " header"))
                .build();
    }

    /** A key that was refused: wrong, or none configured (the message says which). */
    @ServerExceptionMapper
    public Response refused(AuthenticationFailedException e) {
        return json(
                Response.Status.FORBIDDEN,
                "forbidden",
                e.getMessage() == null ? "operator key refused" : e.getMessage());
    }

    /** An identity without the role an endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(Response.Status.FORBIDDEN, "forbidden", "operator endpoint: the operator role is needed");
    }

    /** PostgreSQL or Kafka did not answer in time: the client may try again after Retry-After. */
    @ServerExceptionMapper
    public Response unavailable(UnavailableException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        LOG.warnf("answered 503 %s: %s", e.error(), e.getMessage());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(e.error(), e.getMessage()))
                .build();
    }

    /** A JDBC call of a request: PostgreSQL unreachable or too slow is a 503, anything else our fault. */
    @ServerExceptionMapper
    public Response sql(SQLException e) {
        if (Jdbc.unreachable(e)) {
            return unavailable(new UnavailableException(
                    DatabaseDeadline.ERROR,
                    "PostgreSQL did not answer: " + Failures.describe(e),
                    DatabaseDeadline.RETRY_AFTER,
                    e));
        }
        LOG.error("database error", e);
        return json(Response.Status.INTERNAL_SERVER_ERROR, "internal_error", "see the server log");
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
