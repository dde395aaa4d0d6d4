package org.recofilms.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Bounded retries for every call to an MLflow server, whether through the mlflow-client library or
 * through our own HTTP client: connection failures and 5xx answers are retried, anything else (a 4xx
 * answer: the server understood and refused) fails at once. Every failure surfaces as a {@link
 * RegistryException} that names the call and the server.
 */
final class MlflowRetry {

    /** A call that may fail with an I/O error or an MLflow client exception. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Runs mlflow-client calls: its HTTP client has no read timeout and offers no way to set one, so
     * a server that accepts and never answers would block the caller forever. Daemon threads, so a
     * call stuck past its deadline never keeps the JVM alive.
     */
    private static final ExecutorService LIBRARY_CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "mlflow-client-call");
        thread.setDaemon(true);
        return thread;
    });

    private final String trackingUri;
    private final int attempts;
    private final Duration firstBackoff;
    private final Duration libraryDeadline;

    MlflowRetry(String trackingUri, int attempts, Duration firstBackoff, Duration libraryDeadline) {
        this.trackingUri = trackingUri;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        this.libraryDeadline = libraryDeadline;
    }

    /**
     * Like {@link #call}, for calls through mlflow-client: each attempt is abandoned (and counted as
     * a transient failure) when it has not answered within the deadline, and {@code onTimeout} runs
     * so the caller can close the stuck client (closing it is the only way to free its thread).
     * Error answers are not retried here: the library already repeats them.
     */
    <T> T callLibrary(String what, Call<T> call, Runnable onTimeout) {
        return call(what, () -> withDeadline(call, onTimeout), false);
    }

    private <T> T withDeadline(Call<T> call, Runnable onTimeout) throws IOException {
        Future<T> future = LIBRARY_CALLS.submit(call::run);
        try {
            return future.get(libraryDeadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            onTimeout.run();
            throw new HttpTimeoutException("no answer within " + libraryDeadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while calling MLflow at " + trackingUri, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** Runs {@code call}, retrying transient failures; {@code what} names it in error messages. */
    <T> T call(String what, Call<T> call) {
        return call(what, call, true);
    }

    private <T> T call(String what, Call<T> call, boolean retryServerErrors) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return call.run();
            } catch (MlflowHttpException e) {
                if (!retryServerErrors && e.getStatusCode() >= 500) {
                    // mlflow-client has already tried this request 3 times (it repeats any error
                    // answer but 429, without backoff); more would multiply the load on a sick server.
                    throw new RegistryException(
                            "MLflow " + what + " failed at " + trackingUri + " after " + attempts + " attempts: HTTP "
                                    + e.getStatusCode() + " " + describeBody(e.getBodyMessage()),
                            e);
                }
                if (e.getStatusCode() < 500) {
                    // The server answered and refused: retrying cannot change its mind.
                    throw new RegistryException(
                            "MLflow " + what + " failed at " + trackingUri + ": HTTP " + e.getStatusCode() + " "
                                    + describeBody(e.getBodyMessage()),
                            e);
                }
                last = new RegistryException(
                        "MLflow " + what + " failed at " + trackingUri + " after " + attempt + " attempts: HTTP "
                                + e.getStatusCode() + " " + describeBody(e.getBodyMessage()),
                        e);
            } catch (IOException | UncheckedIOException | MlflowClientException e) {
                // mlflow-client wraps connection failures in a plain MlflowClientException.
                last = new RegistryException(
                        "MLflow unreachable at " + trackingUri + ": " + rootMessage(e) + " (" + what + ", " + attempt
                                + " attempts)",
                        e);
            }
            if (attempt < attempts) {
                sleep(firstBackoff.multipliedBy(1L << (attempt - 1)), what);
            }
        }
        throw last;
    }

    /**
     * The MLflow {@code error_code} (e.g. RESOURCE_DOES_NOT_EXIST) behind a failed call, or "" when
     * the failure was not an error answer from the server.
     */
    static String errorCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MlflowHttpException http) {
                try {
                    JsonNode body = JSON.readTree(http.getBodyMessage() == null ? "" : http.getBodyMessage());
                    return body == null ? "" : body.path("error_code").asText("");
                } catch (IOException e) {
                    return "";
                }
            }
        }
        return "";
    }

    private void sleep(Duration backoff, String what) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("MLflow " + what + " interrupted while retrying", e);
        }
    }

    private static String describeBody(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 500 ? oneLine.substring(0, 500) + "..." : oneLine;
    }

    /** The innermost useful message: java.net.http's ConnectException often carries none itself. */
    static String rootMessage(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (message == null) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName();
        }
        return message;
    }
}
