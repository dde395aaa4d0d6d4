package org.recofilms.platform;

import java.time.Duration;

/**
 * A part the request needs (PostgreSQL, Kafka) did not answer in time or could not be reached:
 * a 503 with {@code error}, the detail and a Retry-After header (ErrorMappers).
 */
public class UnavailableException extends RuntimeException {

    private final String error;
    private final Duration retryAfter;

    public UnavailableException(String error, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /** The machine-readable error of the answer, e.g. {@code database_unavailable}. */
    public String error() {
        return error;
    }

    /** When the client may try again; the Retry-After header, in whole seconds (at least 1). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
