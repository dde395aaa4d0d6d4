package org.recofilms.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Reads of the test PostgreSQL that several feature tests make. */
public final class TestDatabase {

    private TestDatabase() {}

    /** The first column of the first row of {@code sql} (a count, a sum, a fingerprint) as a long. */
    public static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
