package org.recofilms.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.util.TypeLiteral;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Every call to an MLflow server, whether through the mlflow-client library or through our own HTTP
 * client, runs under a SmallRye Fault Tolerance guard: a bounded number of attempts with doubling
 * waits on connection failures, 5xx answers and silence; anything else (a 4xx answer: the server
 * understood and refused) fails at once. Every failure surfaces as a {@link RegistryException} that
 * names the call and the server.
 *
 * <p>The guards are built with the programmatic API, one set per registry, rather than with
 * {@code @Retry} on bean methods: the registry is not a CDI bean (RegistryProducer picks it at run
 * time) and the fault tests build it with short deadlines.
 */
final class MlflowCalls {

    /** A call that may fail with an I/O error or an MLflow client exception. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Runs mlflow-client calls: its HTTP client has no read timeout and offers no way to set one, so
     * a server that accepts and never answers would block the caller forever. Each attempt runs here
     * and the guard's timeout abandons it; daemon threads, so a call stuck past its deadline never
     * keeps the JVM alive.
     */
    private static final ExecutorService LIBRARY_CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "mlflow-client-call");
        thread.setDaemon(true);
        return thread;
    });

    private final String trackingUri;
    private final int attempts;
    private final Duration libraryDeadline;
    private final TypedGuard<Object> http;
    private final TypedGuard<CompletionStage<Object>> library;

    /**
     * @param attempts attempts of one call, the first included
     * @param firstBackoff wait after the first failed attempt, doubled after each further one
     * @param libraryDeadline how long one mlflow-client attempt may go unanswered
     * @param onLibraryTimeout runs when an mlflow-client attempt is abandoned, so the caller can close
     *     the stuck client (closing it is the only way to free its thread)
     */
    MlflowCalls(
            String trackingUri,
            int attempts,
            Duration firstBackoff,
            Duration libraryDeadline,
            Runnable onLibraryTimeout) {
        this.trackingUri = trackingUri;
        this.attempts = attempts;
        this.libraryDeadline = libraryDeadline;
        this.http = TypedGuard.create(Object.class)
                .withDescription("mlflow-http")
                .withRetry()
                .with(retry -> doubling(retry, attempts, firstBackoff))
                .whenException(unwrapped(MlflowCalls::transientAnswer))
                .done()
                .build();
        this.library = TypedGuard.create(new TypeLiteral<CompletionStage<Object>>() {})
                .withDescription("mlflow-client")
                .withRetry()
                .with(retry -> doubling(retry, attempts, firstBackoff))
                .whenException(unwrapped(MlflowCalls::transientLibraryFailure))
                .done()
                .withTimeout()
                .duration(libraryDeadline.toMillis(), ChronoUnit.MILLIS)
                .onTimeout(onLibraryTimeout)
                .done()
                .build();
    }

    private static void doubling(TypedGuard.Builder.RetryBuilder<?> retry, int attempts, Duration firstBackoff) {
        retry.maxRetries(attempts - 1)
                .delay(firstBackoff.toMillis(), ChronoUnit.MILLIS)
                // the defaults would add up to 200 ms of jitter and stop retrying after 3 minutes
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(0, ChronoUnit.MILLIS)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(0, ChronoUnit.MILLIS)
                .done();
    }

    /** A 5xx answer or a connection failure: worth another attempt. */
    private static boolean transientAnswer(Throwable failure) {
        if (failure instanceof MlflowHttpException http) {
            // A 4xx: the server answered and refused; retrying cannot change its mind.
            return http.getStatusCode() >= 500;
        }
        // mlflow-client wraps connection failures in a plain MlflowClientException.
        return failure instanceof IOException
                || failure instanceof UncheckedIOException
                || failure instanceof MlflowClientException;
    }

    /**
     * Through mlflow-client, error answers are not retried here: the library has already tried the
     * request 3 times (it repeats any error answer but 429, without backoff), and more would
     * multiply the load on a sick server. Silence and connection failures are.
     */
    private static boolean transientLibraryFailure(Throwable failure) {
        return !(failure instanceof MlflowHttpException)
                && (failure instanceof TimeoutException || transientAnswer(failure));
    }

    private static Predicate<Throwable> unwrapped(Predicate<Throwable> decision) {
        return failure -> decision.test(unwrap(failure));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Runs a call through mlflow-client: each attempt is abandoned (and counted as a transient
     * failure) when it has not answered within the deadline.
     */
    @SuppressWarnings("unchecked")
    <T> T callLibrary(String what, Call<T> call) {
        AtomicInteger attempt = new AtomicInteger();
        CompletionStage<Object> guarded = library.get(() -> {
            attempt.incrementAndGet();
            CompletableFuture<Object> result = new CompletableFuture<>();
            LIBRARY_CALLS.execute(() -> {
                try {
                    result.complete(call.run());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        });
        try {
            return (T) guarded.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while calling MLflow at " + trackingUri, e);
        } catch (ExecutionException e) {
            throw failure(what, unwrap(e), attempt.get(), true);
        }
    }

    /** Runs {@code call}, retrying transient failures; {@code what} names it in error messages. */
    @SuppressWarnings("unchecked")
    <T> T call(String what, Call<T> call) {
        AtomicInteger attempt = new AtomicInteger();
        try {
            return (T) http.call(() -> {
                attempt.incrementAndGet();
                return call.run();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("MLflow " + what + " interrupted while retrying", e);
        } catch (Exception e) {
            throw failure(what, unwrap(e), attempt.get(), false);
        }
    }

    /** The exception a failed call surfaces as, after {@code attempt} attempts. */
    private RuntimeException failure(String what, Throwable failure, int attempt, boolean library) {
        if (failure instanceof MlflowHttpException e) {
            String answer = "HTTP " + e.getStatusCode() + " " + describeBody(e.getBodyMessage());
            if (e.getStatusCode() < 500) {
                return new RegistryException("MLflow " + what + " failed at " + trackingUri + ": " + answer, e);
            }
            // Through mlflow-client the attempts behind a 5xx are the library's own.
            int made = library ? attempts : attempt;
            return new RegistryException(
                    "MLflow " + what + " failed at " + trackingUri + " after " + made + " attempts: " + answer, e);
        }
        if (failure instanceof TimeoutException) {
            return new RegistryException(
                    "MLflow unreachable at " + trackingUri + ": no answer within " + libraryDeadline.toMillis()
                            + " ms (" + what + ", " + attempt + " attempts)",
                    failure);
        }
        if (transientAnswer(failure)) {
            return new RegistryException(
                    "MLflow unreachable at " + trackingUri + ": " + rootMessage(failure) + " (" + what + ", " + attempt
                            + " attempts)",
                    failure);
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new RegistryException(
                "MLflow " + what + " failed at " + trackingUri + ": " + rootMessage(failure), failure);
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
            } else if (t instanceof java.net.ConnectException && message == null) {
                // java.net.http reports a refused connection as a bare ConnectException over a
                // ClosedChannelException, neither with a message.
                return "Connection refused";
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

    /** Sends {@code request}; an interrupt becomes a RegistryException naming the request. */
    static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    /** Maps a non-2xx answer to the exception this class classifies (5xx retried, 4xx final). */
    static void check(int status, String body) {
        if (status / 100 != 2) {
            throw new MlflowHttpException(status, "HTTP " + status, body);
        }
    }
}
