package org.recofilms.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.recofilms.platform.Jdbc;
import org.recofilms.platform.RunLogTable;

/** raw.training_run_log, over JDBC like the rest of the training job (blocking work on a worker thread). */
@ApplicationScoped
public class TrainingRunLog {

    private static final RunLogTable TABLE = new RunLogTable("raw.training_run_log");

    /** {@link RunLogTable#failInterruptedSql} of raw.training_run_log. */
    public static final String FAIL_INTERRUPTED = TABLE.failInterruptedSql();

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public TrainingRunLog(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void start(UUID runId, Map<String, Object> params) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO raw.training_run_log (run_id, status, params) VALUES (?, 'RUNNING', ?::jsonb)")) {
            ps.setObject(1, runId);
            ps.setString(2, toJson(params));
            ps.executeUpdate();
        }
    }

    /** Runs still RUNNING while this process holds the training lock were killed: say so. */
    public int markInterrupted() throws SQLException {
        return TABLE.markInterrupted(dataSource);
    }

    public void finish(TrainingResult result) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE raw.training_run_log SET finished_at = now(),"
                        + " status = ?, duration_seconds = ?, metrics = ?::jsonb, snapshot_md5 = ?, snapshot_rows = ?,"
                        + " error = ? WHERE run_id = ?")) {
            ps.setString(1, result.status().name());
            ps.setDouble(2, result.durationSeconds());
            ps.setString(3, toJson(result.metrics()));
            ps.setString(4, result.snapshotMd5());
            ps.setLong(5, result.snapshotRows());
            ps.setString(6, result.error());
            ps.setObject(7, result.runId());
            ps.executeUpdate();
        }
    }

    /** A run whose model could not be published or promoted: FAILED, with why. */
    public void markFailed(UUID runId, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE raw.training_run_log SET status = 'FAILED', error = ? WHERE run_id = ?")) {
            ps.setString(1, error);
            ps.setObject(2, runId);
            ps.executeUpdate();
        }
    }

    /** The registry version a run's model became. */
    public void setModelVersion(UUID runId, String version) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE raw.training_run_log SET model_version = ? WHERE run_id = ?")) {
            ps.setString(1, version);
            ps.setObject(2, runId);
            ps.executeUpdate();
        }
    }

    /** The dataset version of the last successful ingestion, attached to the models trained on it. */
    public Optional<String> currentDatasetMd5() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT dataset_md5 FROM raw.ingestion_run_log"
                        + " WHERE status = 'SUCCESS' ORDER BY started_at DESC, id DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    private String toJson(Object value) {
        return Jdbc.jsonb(json, value);
    }
}
