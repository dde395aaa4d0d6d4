package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RealServicesResource;

/**
 * The api role's schema check against real Flyway on the real PostgreSQL: the database Flyway migrated at this
 * app's start is up to date by the check's checksums; a fresh database is not (so an api instance migrates it),
 * and is once Flyway migrated it; a migration whose checksum differs from the history's is seen.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
class SchemaGateTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theListOfMigrationsIsTheFolders() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            List<String> names =
                    files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(SchemaGate.MIGRATIONS.stream().sorted().toList(), names);
        }
    }

    @Test
    void theDatabaseFlywayMigratedIsUpToDateAndAFreshOneIsNotUntilMigrated() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertNull(SchemaGate.behind(c), "the checksums are Flyway's");
        }
        // the app's user may not create databases: the server's superuser (LocalPostgres) does
        String server = appUrl().replaceFirst("/[^/?]+(\\?.*)?$", "/");
        String user = "postgres";
        String password = "postgres";
        String url = server + "schema_gate_fresh";
        try (Connection admin = DriverManager.getConnection(server + "postgres", user, password)) {
            try (Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS schema_gate_fresh");
                s.execute("CREATE DATABASE schema_gate_fresh");
            }
            try (Connection fresh = DriverManager.getConnection(url, user, password)) {
                String behind = SchemaGate.behind(fresh);
                assertNotNull(behind);
                assertTrue(behind.startsWith("no schema history"), behind);
                Flyway.configure()
                        .dataSource(url, user, password)
                        .schemas("reco", "raw")
                        .defaultSchema("reco")
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
                assertNull(SchemaGate.behind(fresh));
                try (Statement s = fresh.createStatement()) {
                    s.execute("UPDATE reco.flyway_schema_history SET checksum = checksum + 1"
                            + " WHERE script = 'R__views.sql'");
                }
                assertEquals("R__views.sql changed", SchemaGate.behind(fresh));
                try (Statement s = fresh.createStatement()) {
                    s.execute(
                            "DELETE FROM reco.flyway_schema_history WHERE script = 'V3__feedback_received_index.sql'");
                }
                assertEquals("V3__feedback_received_index.sql not applied", SchemaGate.behind(fresh));
            } finally {
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS schema_gate_fresh");
                }
            }
        }
    }

    private String appUrl() throws java.sql.SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getURL();
        }
    }
}
