package org.recofilms.platform;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL session advisory lock: what lets one ingestion and one training run at a time across
 * every instance. It lives as long as its connection, so a killed process releases it.
 */
public final class AdvisoryLock implements AutoCloseable {

    /** Lock keys, one per kind of exclusive job. */
    public static final long INGESTION = 0x7265636f_0001L;

    public static final long TRAINING = 0x7265636f_0002L;

    private static final Logger LOG = Logger.getLogger(AdvisoryLock.class);

    private final Connection connection;
    private final long key;

    private AdvisoryLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock when it was free; empty when another session holds it. */
    public static Optional<AdvisoryLock> tryAcquire(AgroalDataSource dataSource, long key) throws SQLException {
        Connection c = dataSource.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.of(new AdvisoryLock(c, key));
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return Optional.empty();
    }

    @Override
    public void close() {
        try (Connection c = connection;
                PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        } catch (SQLException e) {
            LOG.warnf("could not release advisory lock %x (it goes with the connection): %s", key, e.getMessage());
        }
    }
}
