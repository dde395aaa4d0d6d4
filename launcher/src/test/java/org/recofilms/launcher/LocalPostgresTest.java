package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings that decide whether a crash can lose committed rows, read back from the server. */
class LocalPostgresTest {

    private static final List<String> SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes");

    @TempDir
    Path home;

    @Test
    void durableServerHasFsyncSynchronousCommitAndFullPageWritesOn() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(home.resolve("postgres"), 0, true, true)) {
            assertEquals(
                    Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on"), settings(postgres));
        }
    }

    @Test
    void throwAwayServerHasThemOff() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(home.resolve("postgres"), 0, false, false)) {
            assertEquals(
                    Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"), settings(postgres));
        }
    }

    private static Map<String, String> settings(LocalPostgres postgres) throws SQLException {
        Map<String, String> values = new TreeMap<>();
        try (Connection c =
                        DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement st = c.createStatement()) {
            for (String name : SETTINGS) {
                try (ResultSet rs = st.executeQuery("SHOW " + name)) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return values;
    }
}
