package org.recofilms.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * JDBC transactions on connections of the Agroal pool. The app has no JTA transaction manager
 * (the reactive pool serves requests; JDBC serves Flyway, bulk COPY through pgjdbc's CopyManager,
 * and the blocking repositories), so a transaction is a connection out of auto-commit: committed
 * when the work returns, rolled back when it throws, and back in auto-commit either way.
 */
public final class Jdbc {

    /** Work on one connection inside a transaction; {@code E} is any checked exception beside SQLException. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run(Connection connection) throws SQLException, E;
    }

    private Jdbc() {}

    /** Runs {@code work} in one transaction on a connection of its own. */
    public static <T, E extends Exception> T inTransaction(DataSource dataSource, Work<T, E> work)
            throws SQLException, E {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, work);
        }
    }

    /**
     * Runs {@code work} in one transaction on {@code c}, for a caller that keeps session state
     * (temporary tables, isolation level) across transactions.
     */
    public static <T, E extends Exception> T inTransaction(Connection c, Work<T, E> work) throws SQLException, E {
        c.setAutoCommit(false);
        Throwable failure = null;
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (Throwable e) {
            failure = e;
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException reset) {
                // a connection that broke (a socket timeout closes it) must not hide why it broke
                if (failure == null) {
                    throw reset;
                }
                failure.addSuppressed(reset);
            }
        }
    }

    /**
     * Whether {@code e} says that PostgreSQL could not be reached or did not answer in time (an I/O
     * error, a socket timeout, no connection from the pool in time, a server shutting down), as
     * opposed to an error of the statement itself.
     */
    public static boolean unreachable(SQLException e) {
        if (connectionState(e.getSQLState())) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException
                    || (t.getMessage() != null && t.getMessage().contains("acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a SQLSTATE says PostgreSQL could not be reached or could not serve the connection, rather
     * than an error of the statement: classes 08 (connection), 53 (insufficient resources) and 57
     * (operator intervention, shutdown). Shared by the JDBC and the reactive paths.
     */
    static boolean connectionState(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57"));
    }

    /** {@code value} as the text of a {@code ?::jsonb} parameter; null is the empty object. */
    public static String jsonb(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
