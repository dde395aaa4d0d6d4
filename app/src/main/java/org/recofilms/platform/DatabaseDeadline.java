package org.recofilms.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The deadline of every database call on a request path ({@code reco.serving.database-timeout}).
 * A call that has no answer in time, or that cannot reach PostgreSQL, fails with an
 * {@link UnavailableException} ({@code database_unavailable}); an error PostgreSQL reports about
 * the statement itself (a constraint, bad SQL) stays what it is. The statement is not cancelled:
 * its connection returns to the pool when PostgreSQL answers.
 */
@ApplicationScoped
public class DatabaseDeadline {

    public static final String ERROR = "database_unavailable";

    /** What a 503 of the database tells the client to wait before trying again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Duration timeout;

    @Inject
    public DatabaseDeadline(RecoConfig config) {
        this(config.serving().databaseTimeout());
    }

    DatabaseDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * The instant by which a statement started now must have run, for statements that check it
     * themselves (the rating upsert): three quarters of the timeout, so that a statement that ran
     * just in time also answers in time.
     */
    public Instant statementDeadline() {
        return Instant.now().plus(timeout.multipliedBy(3).dividedBy(4));
    }

    /** {@code call} (subscribed lazily), bounded by the timeout; {@code what} names it in the error. */
    public <T> Uni<T> bound(String what, Supplier<Uni<? extends T>> call) {
        return Uni.createFrom()
                .<T>deferred(call)
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new UnavailableException(
                        ERROR,
                        "PostgreSQL did not answer within " + timeout.toMillis() + " ms (" + what + ")",
                        RETRY_AFTER,
                        null))
                .onFailure(DatabaseDeadline::unreachable)
                .transform(e -> new UnavailableException(
                        ERROR,
                        "PostgreSQL could not be reached (" + what + "): " + Failures.describe(e),
                        RETRY_AFTER,
                        e));
    }

    /**
     * A failure to reach PostgreSQL or to get a connection, as opposed to an error of the statement:
     * the SQL client's own failures (closed connection, pool wait timeout, refused connection) and
     * PostgreSQL's connection, resource and shutdown errors (SQLSTATE classes 08, 53, 57).
     */
    static boolean unreachable(Throwable e) {
        if (e instanceof UnavailableException) {
            return false;
        }
        if (e instanceof PgException pg) {
            return Jdbc.connectionState(pg.getSqlState());
        }
        return e instanceof VertxException
                || e instanceof NoStackTraceThrowable
                || e instanceof IOException
                || e instanceof java.util.concurrent.TimeoutException;
    }
}
