package org.recofilms.platform;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * The api role's migrations at start (RoleConfigSourceFactory turns Flyway's migrate-at-start off for it: creating
 * Flyway and validating costs about 0.8 s of an api start). Before anything reads the database, one query compares
 * {@code reco.flyway_schema_history} with the migrations this app ships ({@link #MIGRATIONS}, by checksum, computed
 * as Flyway computes it): when every one is applied with the same checksum, nothing runs; otherwise (a fresh
 * database, an older schema, a changed repeatable migration, no history table) Flyway migrates here, as it would
 * have at start. Roles all and worker keep Flyway's own migrate-at-start and skip this.
 */
@ApplicationScoped
public class SchemaGate {

    private static final Logger LOG = Logger.getLogger(SchemaGate.class);

    /** The migrations in src/main/resources/db/migration (SchemaGateTest checks the list against the folder). */
    static final List<String> MIGRATIONS = List.of(
            "V1__baseline.sql", "V2__promotion_evidence.sql", "V3__feedback_received_index.sql", "R__views.sql");

    private final AgroalDataSource dataSource;
    private final Instance<Flyway> flyway;
    private final boolean flywayAtStart;

    public SchemaGate(
            AgroalDataSource dataSource,
            Instance<Flyway> flyway,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start", defaultValue = "false") boolean flywayAtStart) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        this.flywayAtStart = flywayAtStart;
    }

    void onStart(@Observes @Priority(0) StartupEvent event) {
        if (flywayAtStart) {
            return;
        }
        long t0 = System.nanoTime();
        String behind = behind();
        if (behind == null) {
            LOG.infof(
                    "schema up to date (%d migrations, checked in %d ms): Flyway not run",
                    MIGRATIONS.size(), (System.nanoTime() - t0) / 1_000_000);
            return;
        }
        LOG.infof("schema not up to date (%s): migrating with Flyway", behind);
        flyway.get().migrate();
    }

    String behind() {
        try (Connection c = dataSource.getConnection()) {
            return behind(c);
        } catch (SQLException e) {
            return "database not reached: " + e.getMessage();
        }
    }

    /** Null when every shipped migration is applied with its checksum, else what differs. */
    static String behind(Connection c) {
        Map<String, Integer> applied = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT script, checksum FROM reco.flyway_schema_history WHERE success AND checksum IS NOT NULL"
                                + " ORDER BY installed_rank")) {
            while (rs.next()) {
                // the script as Flyway recorded it (with its folder or not); a repeatable one's latest run wins
                String script = rs.getString(1);
                applied.put(script.substring(script.lastIndexOf('/') + 1), rs.getInt(2));
            }
        } catch (SQLException e) {
            return "no schema history: " + e.getMessage();
        }
        for (String script : MIGRATIONS) {
            Integer checksum = applied.get(script);
            if (checksum == null) {
                return script + " not applied";
            }
            if (checksum != checksum(script)) {
                return script + " changed";
            }
        }
        return null;
    }

    /** Flyway's checksum of a migration: CRC32 of its lines' UTF-8 bytes, line breaks and a leading BOM left out. */
    static int checksum(String script) {
        CRC32 crc = new CRC32();
        try (InputStream in = SchemaGate.class.getClassLoader().getResourceAsStream("db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration " + script + " not on the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = reader.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }
}
