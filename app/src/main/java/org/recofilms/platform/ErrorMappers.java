package org.recofilms.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
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

    /** A body that is not JSON, or JSON of the wrong shape (Quarkus REST reading a record body). */
    @ServerExceptionMapper
    public Response notJson(JsonProcessingException e) {
        return json(Response.Status.BAD_REQUEST, "bad_request", JsonErrors.describe(e));
    }

    /** More specific than {@link #notJson}, so that it wins over Quarkus REST's own mapper of this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return notJson(e);
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
        if (e.getCause() instanceof JsonProcessingException cause) {
            return notJson(cause);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String error = known == null ? "http_" + status : known.name().toLowerCase();
        Response.ResponseBuilder answer = Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(error, detail(e, status, known)));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            answer.header(HttpHeaders.ALLOW, allow);
        }
        return answer.build();
    }

    /**
     * Our own message, or a sentence of ours where the framework's would name its internals
     * ({@code @Consumes}) or say no more than the status line ("HTTP 404 Not Found").
     */
    private static String detail(WebApplicationException e, int status, Response.Status known) {
        switch (status) {
            case 415:
                return "the body must be sent with Content-Type: application/json";
            case 406:
                return "this endpoint answers application/json only";
            case 405:
                return "this method is not allowed here";
            default:
                break;
        }
        String message = e.getMessage();
        String phrase = known == null ? "HTTP " + status : known.getReasonPhrase();
        if (message == null
                || message.startsWith("HTTP " + status)
                || message.contains("@")
                || message.contains("RESTEASY")) {
            return status == 404 ? "no such resource" : phrase;
        }
        return message;
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
