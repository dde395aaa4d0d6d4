package org.recofilms.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.recofilms.ingestion.IngestionRunLog;
import org.recofilms.platform.Jdbc;
import org.recofilms.platform.RecoConfig;
import org.recofilms.training.TrainingRunLog;

/**
 * reco.pipeline_runs and reco.pipeline_steps over JDBC: every caller is blocking work (a REST
 * trigger on a worker thread, a pipeline worker, a scheduled job). Transitions are single guarded
 * UPDATEs, so two instances never both claim or finish one run.
 */
@ApplicationScoped
public class PipelineRunRepository {

    /** Transaction lock taken by every run creation: the conflict check and the insert are atomic across instances. */
    private static final long CREATE_LOCK = 0x7265636f_0007L;

    private static final String RUN_COLUMNS = "id, kind, status, trigger, params::text, requested_at, started_at,"
            + " finished_at, heartbeat_at, worker, counts::text, error";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final int requestTimeoutMillis;

    public PipelineRunRepository(AgroalDataSource dataSource, ObjectMapper json, RecoConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.requestTimeoutMillis = (int) config.database().jdbcRequestTimeout().toMillis();
    }

    /**
     * A connection for statements that serve a request (triggers, run lookups): a read that waits
     * longer than {@code reco.database.jdbc-request-timeout} fails with an I/O error (SQLSTATE 08006)
     * instead of hanging on a stalled server. Agroal 3.0 puts a connection back in the pool with the
     * network timeout it was given (it resets auto-commit, isolation and read-only only), so
     * {@link RequestConnection#close} clears it first: a worker's long statements on that connection
     * later must not fail after two seconds.
     */
    private RequestConnection requestConnection() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setNetworkTimeout(Runnable::run, requestTimeoutMillis);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new RequestConnection(c);
    }

    /** A pooled connection with the request timeout, returned to the pool without it. */
    private record RequestConnection(Connection connection) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            try {
                if (!connection.isClosed()) {
                    connection.setNetworkTimeout(Runnable::run, 0);
                }
            } catch (SQLException e) {
                // a broken connection: the pool discards it on close
            } finally {
                connection.close();
            }
        }
    }

    /** What {@link #create} did: a new QUEUED run, or the conflicting run already active (then nothing was written). */
    public record Created(PipelineRun run, boolean alreadyActive) {}

    /**
     * Writes a QUEUED run with PENDING steps unless a conflicting run ({@link PipelineKind#conflicts})
     * is queued or running, in which case that run is returned and nothing is written.
     */
    public Created create(UUID id, PipelineKind kind, Map<String, String> params, String trigger, Instant requestedAt)
            throws SQLException {
        try (RequestConnection request = requestConnection()) {
            Connection connection = request.connection();
            Optional<PipelineRun> active = Jdbc.inTransaction(connection, c -> {
                Optional<PipelineRun> conflict = lockAndFindConflict(c, kind);
                if (conflict.isEmpty()) {
                    insert(c, id, kind, RunStatus.QUEUED, params, trigger, requestedAt, null);
                }
                return conflict;
            });
            if (active.isPresent()) {
                return new Created(active.get(), true);
            }
            return new Created(find(connection, id).orElseThrow(), false);
        }
    }

    /**
     * Records a request that arrived on Kafka without a run row (an outside client): QUEUED when no
     * conflicting run is active, else FAILED with the reason. Returns false when the row already existed.
     */
    public boolean adopt(UUID id, PipelineKind kind, Map<String, String> params, String trigger, Instant requestedAt)
            throws SQLException {
        return Jdbc.inTransaction(dataSource, c -> {
            if (exists(c, id)) {
                return false;
            }
            Optional<PipelineRun> active = lockAndFindConflict(c, kind);
            String error = active.map(r -> "refused: " + r.kind() + " run " + r.runId() + " is "
                            + r.status().name().toLowerCase())
                    .orElse(null);
            insert(
                    c,
                    id,
                    kind,
                    error == null ? RunStatus.QUEUED : RunStatus.FAILED,
                    params,
                    trigger,
                    requestedAt,
                    error);
            return true;
        });
    }

    private Optional<PipelineRun> lockAndFindConflict(Connection c, PipelineKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, CREATE_LOCK);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM reco.pipeline_runs"
                + " WHERE status IN ('QUEUED', 'RUNNING') AND kind = ANY(?) ORDER BY requested_at LIMIT 1")) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "text",
                            kind.conflicts().stream().map(PipelineKind::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(from(rs)) : Optional.empty();
            }
        }
    }

    private void insert(
            Connection c,
            UUID id,
            PipelineKind kind,
            RunStatus status,
            Map<String, String> params,
            String trigger,
            Instant requestedAt,
            String error)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reco.pipeline_runs"
                + " (id, kind, status, trigger, params, requested_at, finished_at, error)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, kind.id());
            ps.setString(3, status.name());
            ps.setString(4, trigger);
            ps.setString(5, toJson(params));
            ps.setTimestamp(6, Timestamp.from(requestedAt));
            ps.setTimestamp(7, status.active() ? null : Timestamp.from(Instant.now()));
            ps.setString(8, error);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reco.pipeline_steps"
                + " (run_id, position, step, status, blocking) VALUES (?, ?, ?, ?, ?)")) {
            int position = 1;
            for (PipelineKind.Step step : kind.steps()) {
                ps.setObject(1, id);
                ps.setInt(2, position++);
                ps.setString(3, step.id());
                ps.setString(4, (status.active() ? StepStatus.PENDING : StepStatus.SKIPPED).name());
                ps.setBoolean(5, step.blocking());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static boolean exists(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM reco.pipeline_runs WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** QUEUED → NOT_ENQUEUED: the request never reached the broker. */
    public boolean markNotEnqueued(UUID id, String error) throws SQLException {
        boolean done;
        try (RequestConnection request = requestConnection();
                PreparedStatement ps = request.connection()
                        .prepareStatement(
                                "UPDATE reco.pipeline_runs SET status = 'NOT_ENQUEUED', finished_at = now(), error = ?"
                                        + " WHERE id = ? AND status = 'QUEUED'")) {
            ps.setString(1, error);
            ps.setObject(2, id);
            done = ps.executeUpdate() > 0;
        }
        skipPending(id);
        return done;
    }

    /** QUEUED → FAILED without running: the request was refused. */
    public boolean refuse(UUID id, String error) throws SQLException {
        boolean done = update(
                "UPDATE reco.pipeline_runs SET status = 'FAILED', finished_at = now(), error = ?"
                        + " WHERE id = ? AND status = 'QUEUED'",
                error,
                id);
        update("UPDATE reco.pipeline_steps SET status = 'SKIPPED' WHERE run_id = ? AND status = 'PENDING'", id);
        return done;
    }

    /**
     * QUEUED → RUNNING for {@code worker}: the one atomic claim that makes a redelivered request a
     * no-op. Empty when the run is not QUEUED (already claimed, finished, or refused) or unknown.
     */
    public Optional<PipelineRun> claim(UUID id, String worker) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_runs SET status = 'RUNNING',"
                        + " started_at = now(), heartbeat_at = now(), worker = ? WHERE id = ? AND status = 'QUEUED'"
                        + " RETURNING " + RUN_COLUMNS)) {
            ps.setString(1, worker);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(from(rs)) : Optional.empty();
            }
        }
    }

    /** Refreshes the heartbeat of the runs {@code worker} executes. */
    public void heartbeat(Collection<UUID> ids, String worker) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_runs SET heartbeat_at = now()"
                        + " WHERE id = ANY(?) AND status = 'RUNNING' AND worker = ?")) {
            ps.setArray(1, uuids(c, ids));
            ps.setString(2, worker);
            ps.executeUpdate();
        }
    }

    /** RUNNING → SUCCESS or FAILED, only by the worker that holds it; false when the run was taken from it. */
    public boolean finish(UUID id, String worker, RunStatus status, Map<String, Object> counts, String error)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_runs SET status = ?,"
                        + " finished_at = now(), counts = ?::jsonb, error = ?"
                        + " WHERE id = ? AND status = 'RUNNING' AND worker = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, toJson(counts));
            ps.setString(3, error);
            ps.setObject(4, id);
            ps.setString(5, worker);
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets a step's status, times, detail and error; null times and detail leave the stored ones. */
    public void step(
            UUID id,
            PipelineKind.Step step,
            StepStatus status,
            Instant startedAt,
            Instant finishedAt,
            Map<String, Object> detail,
            String error)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_steps SET status = ?,"
                        + " started_at = coalesce(?, started_at), finished_at = coalesce(?, finished_at),"
                        + " detail = coalesce(?::jsonb, detail), error = ? WHERE run_id = ? AND step = ?")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, startedAt == null ? null : Timestamp.from(startedAt));
            ps.setTimestamp(3, finishedAt == null ? null : Timestamp.from(finishedAt));
            ps.setString(4, detail == null ? null : toJson(detail));
            ps.setString(5, error);
            ps.setObject(6, id);
            ps.setString(7, step.id());
            ps.executeUpdate();
        }
    }

    /**
     * RUNNING → FAILED for a run this worker gives up (the app stops), with its running steps and
     * the RUNNING rows it started in the ingestion and training run logs; false when not held.
     */
    public boolean abandon(UUID id, String worker, String error) throws SQLException {
        return Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_runs SET status = 'FAILED',"
                    + " finished_at = now(), error = ? WHERE id = ? AND status = 'RUNNING' AND worker = ?")) {
                ps.setString(1, error);
                ps.setObject(2, id);
                ps.setString(3, worker);
                if (ps.executeUpdate() == 0) {
                    // not held: nothing changed, the commit only ends the transaction
                    return false;
                }
                failLeftovers(c, uuids(c, List.of(id)), error);
                return true;
            }
        });
    }

    private static void failLeftovers(Connection c, Array ids, String why) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE reco.pipeline_steps SET status = 'SKIPPED' WHERE run_id = ANY(?) AND status = 'PENDING'")) {
            ps.setArray(1, ids);
            ps.executeUpdate();
        }
        for (String sql : List.of(
                "UPDATE reco.pipeline_steps SET status = 'FAILED', finished_at = now(), error = ?"
                        + " WHERE run_id = ANY(?) AND status = 'RUNNING'",
                // the features' run logs: their statements are theirs, run in this transaction
                IngestionRunLog.FAIL_INTERRUPTED,
                TrainingRunLog.FAIL_INTERRUPTED)) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, why);
                ps.setArray(2, ids);
                ps.executeUpdate();
            }
        }
    }

    /** A run that ended before these steps: PENDING → SKIPPED. */
    public void skipPending(UUID id) throws SQLException {
        update("UPDATE reco.pipeline_steps SET status = 'SKIPPED' WHERE run_id = ? AND status = 'PENDING'", id);
    }

    /** A run that failed without running: what was reaped, by kind. */
    public record Reaped(UUID id, String kind, String trigger, String error) {}

    /**
     * Fails the RUNNING runs whose heartbeat is older than {@code lease} and the QUEUED runs older than
     * {@code queueTimeout}, with their running steps and the RUNNING rows of the ingestion and training
     * run logs that they started.
     */
    public List<Reaped> reap(Duration lease, Duration queueTimeout) throws SQLException {
        List<Reaped> reaped = new ArrayList<>();
        Jdbc.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_runs SET status = 'FAILED',"
                    + " finished_at = now(), error = 'lease expired: worker ' || coalesce(worker, '?')"
                    + " || ' sent no heartbeat since ' || to_char(heartbeat_at AT TIME ZONE 'UTC',"
                    + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || ' (it stopped or lost the database)'"
                    + " WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => ?)"
                    + " RETURNING id, kind, trigger, error")) {
                ps.setDouble(1, lease.toMillis() / 1000.0);
                collect(ps, reaped);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE reco.pipeline_runs SET status = 'FAILED',"
                    + " finished_at = now(), error = 'no worker claimed it within ' || ? "
                    + " WHERE status = 'QUEUED' AND requested_at < now() - make_interval(secs => ?)"
                    + " RETURNING id, kind, trigger, error")) {
                ps.setString(1, queueTimeout.toString().substring(2).toLowerCase());
                ps.setDouble(2, queueTimeout.toMillis() / 1000.0);
                collect(ps, reaped);
            }
            if (!reaped.isEmpty()) {
                failLeftovers(
                        c, uuids(c, reaped.stream().map(Reaped::id).toList()), "the pipeline run's lease expired");
            }
            return null;
        });
        return reaped;
    }

    /** Runs queued or running now, by kind. */
    public Map<String, Long> activeByKind() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT kind, count(*) FROM reco.pipeline_runs"
                        + " WHERE status IN ('QUEUED', 'RUNNING') GROUP BY kind");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    public Optional<PipelineRun> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, id);
        }
    }

    /** {@link #find} for a request: bounded by {@code reco.database.jdbc-request-timeout}. */
    public Optional<PipelineRun> findForRequest(UUID id) throws SQLException {
        try (RequestConnection request = requestConnection()) {
            return find(request.connection(), id);
        }
    }

    private Optional<PipelineRun> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM reco.pipeline_runs WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                PipelineRun run = from(rs);
                return Optional.of(run.withSteps(steps(c, List.of(id)).getOrDefault(id, List.of())));
            }
        }
    }

    /** Newest first, optionally of one kind and one status; for requests (bounded like {@link #findForRequest}). */
    public List<PipelineRun> list(PipelineKind kind, RunStatus status, int page, int size) throws SQLException {
        List<PipelineRun> runs = new ArrayList<>();
        try (RequestConnection request = requestConnection();
                PreparedStatement ps = request.connection()
                        .prepareStatement("SELECT " + RUN_COLUMNS + " FROM reco.pipeline_runs"
                                + " WHERE (?::text IS NULL OR kind = ?) AND (?::text IS NULL OR status = ?)"
                                + " ORDER BY requested_at DESC, id LIMIT ? OFFSET ?")) {
            String k = kind == null ? null : kind.id();
            String s = status == null ? null : status.name();
            ps.setString(1, k);
            ps.setString(2, k);
            ps.setString(3, s);
            ps.setString(4, s);
            ps.setInt(5, size);
            ps.setLong(6, (long) page * size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(from(rs));
                }
            }
            if (runs.isEmpty()) {
                return runs;
            }
            Map<UUID, List<PipelineRun.Step>> steps = steps(
                    request.connection(), runs.stream().map(PipelineRun::runId).toList());
            return runs.stream()
                    .map(r -> r.withSteps(steps.getOrDefault(r.runId(), List.of())))
                    .toList();
        }
    }

    private Map<UUID, List<PipelineRun.Step>> steps(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, List<PipelineRun.Step>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, position, step, status, blocking,"
                + " started_at, finished_at, detail::text, error FROM reco.pipeline_steps"
                + " WHERE run_id = ANY(?) ORDER BY run_id, position")) {
            ps.setArray(1, uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new PipelineRun.Step(
                                    rs.getInt(2),
                                    rs.getString(3),
                                    StepStatus.valueOf(rs.getString(4)),
                                    rs.getBoolean(5),
                                    instant(rs.getTimestamp(6)),
                                    instant(rs.getTimestamp(7)),
                                    tree(rs.getString(8)),
                                    rs.getString(9)));
                }
            }
        }
        return out;
    }

    private PipelineRun from(ResultSet rs) throws SQLException {
        try {
            return PipelineRun.builder(rs.getObject(1, UUID.class))
                    .kind(rs.getString(2))
                    .status(RunStatus.valueOf(rs.getString(3)))
                    .trigger(rs.getString(4))
                    .params(json.readValue(rs.getString(5), new TypeReference<Map<String, String>>() {}))
                    .requestedAt(instant(rs.getTimestamp(6)))
                    .startedAt(instant(rs.getTimestamp(7)))
                    .finishedAt(instant(rs.getTimestamp(8)))
                    .heartbeatAt(instant(rs.getTimestamp(9)))
                    .worker(rs.getString(10))
                    .counts(tree(rs.getString(11)))
                    .error(rs.getString(12))
                    .build();
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable params of run " + rs.getString(1), e);
        }
    }

    private static void collect(PreparedStatement ps, List<Reaped> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new Reaped(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    private boolean update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate() > 0;
        }
    }

    private static Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private JsonNode tree(String text) throws SQLException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON column", e);
        }
    }

    private String toJson(Object value) {
        return Jdbc.jsonb(json, value);
    }
}
