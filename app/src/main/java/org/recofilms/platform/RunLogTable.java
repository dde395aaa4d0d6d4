package org.recofilms.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What the run logs of the exclusive jobs (raw.ingestion_run_log, raw.training_run_log) share: a
 * row is RUNNING from its start to its finish, and a RUNNING row whose process is gone is FAILED as
 * interrupted, either by the next run of its job (which holds the job's lock) or by the pipeline
 * that gives the run up. Each feature keeps its own columns and its own start and finish.
 */
public final class RunLogTable {

    private final String table;

    /** {@code table} is a constant of the caller (schema-qualified), never user input. */
    public RunLogTable(String table) {
        this.table = table;
    }

    /**
     * The statement that fails the RUNNING rows some pipeline runs started, for the caller's transaction
     * that gives those runs up or reaps them: parameter 1 is why, 2 the run ids ({@code uuid[]}).
     */
    public String failInterruptedSql() {
        return "UPDATE " + table + " SET status = 'FAILED', finished_at = now(),"
                + " error = 'interrupted: ' || ? WHERE run_id = ANY(?) AND status = 'RUNNING'";
    }

    /**
     * Fails every RUNNING row as interrupted; for a caller that holds the job's lock, so that no
     * running process owns them. Returns how many there were.
     */
    public int markInterrupted(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET status = 'FAILED',"
                        + " finished_at = now(), error = 'interrupted: the process running it stopped'"
                        + " WHERE status = 'RUNNING'")) {
            return ps.executeUpdate();
        }
    }
}
