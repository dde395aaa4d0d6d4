package org.recofilms.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.recofilms.platform.Jdbc;
import org.recofilms.platform.RunLogTable;

/**
 * raw.ingestion_run_log, raw.quality_checks_log and raw.ingestion_rejects. Ingestion is blocking
 * work on a worker thread that also needs JDBC for COPY, so this repository uses JDBC too.
 */
@ApplicationScoped
public class IngestionRunLog {

    private static final RunLogTable TABLE = new RunLogTable("raw.ingestion_run_log");

    /** {@link RunLogTable#failInterruptedSql} of raw.ingestion_run_log. */
    public static final String FAIL_INTERRUPTED = TABLE.failInterruptedSql();

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public IngestionRunLog(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The last successful (or no-op) run: what a new load is compared with. */
    public record LastSuccess(UUID runId, String datasetMd5, Map<String, Long> rowsTotal) {}

    public void start(UUID runId, String source) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO raw.ingestion_run_log (run_id, source, status) VALUES (?, ?, 'RUNNING')")) {
            ps.setObject(1, runId);
            ps.setString(2, source);
            ps.executeUpdate();
        }
    }

    /** Runs still RUNNING while this process holds the ingestion lock were killed: say so. */
    public int markInterrupted() throws SQLException {
        return TABLE.markInterrupted(dataSource);
    }

    public void finish(IngestionResult result) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE raw.ingestion_run_log SET finished_at = now(),"
                        + " status = ?, duration_seconds = ?, rows_injected = ?::jsonb, rows_total = ?::jsonb,"
                        + " rows_rejected = ?::jsonb, dataset_md5 = ?, no_op = ?, error = ? WHERE run_id = ?")) {
            ps.setString(1, result.status().name());
            ps.setDouble(2, result.durationSeconds());
            ps.setString(3, toJson(result.rowsInjected()));
            ps.setString(4, toJson(result.rowsTotal()));
            ps.setString(5, toJson(result.rejected()));
            ps.setString(6, result.datasetMd5());
            ps.setBoolean(7, result.noOp());
            ps.setString(8, result.error());
            ps.setObject(9, result.runId());
            ps.executeUpdate();
        }
    }

    public Optional<LastSuccess> lastSuccess() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT run_id, dataset_md5, rows_total::text"
                                + " FROM raw.ingestion_run_log WHERE status = 'SUCCESS' ORDER BY started_at DESC, id DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new LastSuccess(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    json.readValue(rs.getString(3), new TypeReference<Map<String, Long>>() {})));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable rows_total", e);
        }
    }

    public void writeChecks(UUID runId, List<QualityCheck> checks) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO raw.quality_checks_log"
                        + " (run_id, check_name, status, error_count, blocking, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (QualityCheck check : checks) {
                ps.setObject(1, runId);
                ps.setString(2, check.name());
                ps.setString(3, check.status().name());
                ps.setLong(4, check.errorCount());
                ps.setBoolean(5, check.blocking());
                ps.setString(6, check.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void writeRejects(UUID runId, List<RejectLog.Reject> rejects) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO raw.ingestion_rejects"
                                + " (run_id, file, line_number, kind, content) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            long unknownLine = -1;
            for (RejectLog.Reject r : rejects) {
                ps.setObject(1, runId);
                ps.setString(2, r.file());
                // rejects found by SQL have no line number; keep them apart in the key
                ps.setLong(3, r.line() >= 0 ? r.line() : unknownLine--);
                ps.setString(4, r.kind().name());
                ps.setString(5, r.content().replace("\u0000", ""));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private String toJson(Object value) {
        return Jdbc.jsonb(json, value);
    }
}
