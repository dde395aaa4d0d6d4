package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a request's database call becomes when PostgreSQL is silent, unreachable or refuses the
 * statement, and how failures are named in answers. The real stalls are in FaultInjectionTest.
 */
class DatabaseDeadlineTest {

    private final DatabaseDeadline deadline = new DatabaseDeadline(Duration.ofMillis(200));

    @Test
    void aCallWithNoAnswerFailsAsUnavailableAfterTheTimeout() {
        UnavailableException e = assertThrows(
                UnavailableException.class,
                () -> deadline.bound("reading x", () -> Uni.createFrom().nothing())
                        .await()
                        .atMost(Duration.ofSeconds(30)));
        assertEquals(DatabaseDeadline.ERROR, e.error());
        assertEquals("PostgreSQL did not answer within 200 ms (reading x)", e.getMessage());
        assertEquals(DatabaseDeadline.RETRY_AFTER, e.retryAfter());
    }

    @Test
    void anAnswerInTimePassesAndTheCallIsMadeOnSubscriptionOnly() {
        AtomicInteger calls = new AtomicInteger();
        Uni<String> bounded = deadline.bound("reading x", () -> {
            calls.incrementAndGet();
            return Uni.createFrom().item("rows");
        });
        assertEquals(0, calls.get());
        assertEquals("rows", bounded.await().atMost(Duration.ofSeconds(30)));
        assertEquals(1, calls.get());
    }

    @Test
    void aLostConnectionIsUnavailableWithItsCause() {
        UnavailableException e = assertThrows(
                UnavailableException.class,
                () -> deadline.bound(
                                "storing y",
                                () -> Uni.createFrom().failure(new VertxException("Connection is not active now")))
                        .await()
                        .atMost(Duration.ofSeconds(30)));
        assertEquals(
                "PostgreSQL could not be reached (storing y): VertxException: Connection is not active now",
                e.getMessage());
        PgException shuttingDown = new PgException("the database system is shutting down", "FATAL", "57P03", null);
        assertInstanceOf(
                UnavailableException.class,
                assertThrows(
                        RuntimeException.class,
                        () -> deadline.bound("storing y", () -> Uni.createFrom().failure(shuttingDown))
                                .await()
                                .atMost(Duration.ofSeconds(30))));
    }

    @Test
    void anErrorOfTheStatementItselfStaysWhatItIs() {
        PgException duplicate = new PgException("duplicate key", "ERROR", "23505", null);
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> deadline.bound("storing y", () -> Uni.createFrom().failure(duplicate))
                        .await()
                        .atMost(Duration.ofSeconds(30)));
        assertSame(duplicate, e);
    }

    @Test
    void theStatementDeadlineLeavesAQuarterOfTheTimeoutForTheAnswer() {
        Instant before = Instant.now();
        Instant statement = deadline.statementDeadline();
        assertFalse(statement.isBefore(before.plusMillis(150)));
        assertTrue(statement.isBefore(Instant.now().plusMillis(151)));
    }

    @Test
    void jdbcFailuresOfTheConnectionAreUnreachableAndStatementErrorsAreNot() {
        assertTrue(Jdbc.unreachable(new SQLException("An I/O error occurred", "08006", new SocketTimeoutException())));
        assertTrue(Jdbc.unreachable(new SQLException("wrapped", null, new IOException("reset"))));
        assertTrue(Jdbc.unreachable(new SQLException("Sorry, acquisition timeout!")));
        assertFalse(Jdbc.unreachable(new SQLException("duplicate key", "23505")));
        assertFalse(Jdbc.unreachable(new SQLException("syntax error", "42601")));
    }

    @Test
    void failuresAreNamedByTheirRootCauseNeverAsNull() {
        assertEquals(
                "TimeoutException: Topic reco.ratings not present in metadata after 2000 ms",
                Failures.describe(new IllegalStateException(
                        null,
                        new java.util.concurrent.TimeoutException(
                                "Topic reco.ratings not present in metadata after 2000 ms"))));
        assertEquals(
                "TimeoutException",
                Failures.describe(new RuntimeException("outer", new io.smallrye.mutiny.TimeoutException())));
        assertEquals("IOException: reset", Failures.describe(new IOException("reset")));
    }
}
