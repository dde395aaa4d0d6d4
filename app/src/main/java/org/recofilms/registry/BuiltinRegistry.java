package org.recofilms.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.recofilms.platform.Jdbc;

/**
 * The model registry in PostgreSQL (schema reco, tables registry_*), used when no MLflow tracking
 * URI is configured: the same runs, params, metrics (with their history), tags, artifacts (stored in
 * the database, so that every instance can load them), model versions and aliases as MLflow.
 */
public final class BuiltinRegistry implements ModelRegistry {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public BuiltinRegistry(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public String kind() {
        return "builtin";
    }

    @Override
    public String createRun(String experiment, String runName, Map<String, String> tags) {
        String runId = UUID.randomUUID().toString().replace("-", "");
        update(
                "INSERT INTO reco.registry_runs (run_id, experiment, run_name, status, tags) VALUES (?, ?, ?, 'RUNNING', ?::jsonb)",
                runId,
                experiment,
                runName,
                toJson(tags));
        return runId;
    }

    @Override
    public void logParams(String runId, Map<String, String> params) {
        mergeJson(runId, "params", params);
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        mergeJson(runId, "tags", tags);
    }

    private void mergeJson(String runId, String column, Map<String, String> values) {
        int n = update(
                "UPDATE reco.registry_runs SET " + column + " = " + column + " || ?::jsonb WHERE run_id = ?",
                toJson(values),
                runId);
        if (n == 0) {
            throw new RegistryException("no run " + runId);
        }
    }

    @Override
    public void logMetrics(String runId, Map<String, Double> metrics) {
        requireRun(runId);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO reco.registry_metrics (run_id, key, value, step)"
                        + " VALUES (?, ?, ?, (SELECT coalesce(max(step) + 1, 0) FROM reco.registry_metrics"
                        + " WHERE run_id = ? AND key = ?))")) {
            for (Map.Entry<String, Double> m : metrics.entrySet()) {
                ps.setString(1, runId);
                ps.setString(2, m.getKey());
                ps.setDouble(3, m.getValue());
                ps.setString(4, runId);
                ps.setString(5, m.getKey());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new RegistryException("logMetrics(" + runId + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void logArtifact(String runId, String artifactPath, Path file) {
        requireRun(runId);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO reco.registry_artifacts"
                        + " (run_id, path, size_bytes, md5, content) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (run_id, path) DO UPDATE SET size_bytes = excluded.size_bytes,"
                        + " md5 = excluded.md5, content = excluded.content, created_at = now()")) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
                byte[] content = in.readAllBytes();
                ps.setString(1, runId);
                ps.setString(2, artifactPath);
                ps.setLong(3, content.length);
                ps.setString(4, HexFormat.of().formatHex(md5.digest()));
                ps.setBytes(5, content);
                ps.executeUpdate();
            }
        } catch (SQLException | IOException | NoSuchAlgorithmException e) {
            throw new RegistryException("logArtifact(" + runId + ", " + artifactPath + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void endRun(String runId, String status) {
        if (update("UPDATE reco.registry_runs SET status = ?, ended_at = now() WHERE run_id = ?", status, runId) == 0) {
            throw new RegistryException("no run " + runId);
        }
    }

    @Override
    public RunInfo getRun(String runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT experiment, run_name, status, started_at, params::text,"
                                + " tags::text FROM reco.registry_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RegistryException("no run " + runId);
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                try (PreparedStatement m =
                        c.prepareStatement("SELECT DISTINCT ON (key) key, value FROM reco.registry_metrics"
                                + " WHERE run_id = ? ORDER BY key, step DESC")) {
                    m.setString(1, runId);
                    try (ResultSet mr = m.executeQuery()) {
                        while (mr.next()) {
                            metrics.put(mr.getString(1), mr.getDouble(2));
                        }
                    }
                }
                return new RunInfo(
                        runId,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).getTime(),
                        json.readValue(rs.getString(5), STRING_MAP),
                        metrics,
                        json.readValue(rs.getString(6), STRING_MAP));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new RegistryException("getRun(" + runId + "): " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> listArtifacts(String runId) {
        List<String> paths = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT path FROM reco.registry_artifacts WHERE run_id = ? ORDER BY path")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("listArtifacts(" + runId + "): " + e.getMessage(), e);
        }
        return paths;
    }

    @Override
    public void downloadArtifact(String runId, String artifactPath, Path target) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT content FROM reco.registry_artifacts WHERE run_id = ? AND path = ?")) {
            ps.setString(1, runId);
            ps.setString(2, artifactPath);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RegistryException("no artifact " + artifactPath + " in run " + runId);
                }
                Files.createDirectories(target.toAbsolutePath().getParent());
                Path part = target.resolveSibling(target.getFileName() + ".part");
                try (InputStream in = rs.getBinaryStream(1)) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (SQLException | IOException e) {
            throw new RegistryException("downloadArtifact(" + runId + ", " + artifactPath + "): " + e.getMessage(), e);
        }
    }

    @Override
    public ModelVersion createModelVersion(
            String modelName, String runId, String artifactPath, Map<String, String> tags) {
        requireRun(runId);
        String source = "runs:/" + runId + "/" + artifactPath;
        try {
            return Jdbc.inTransaction(dataSource, c -> {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
                        PreparedStatement ps = c.prepareStatement("INSERT INTO reco.registry_model_versions"
                                + " (model_name, version, run_id, source, tags) SELECT ?, coalesce(max(version), 0) + 1, ?, ?,"
                                + " ?::jsonb FROM reco.registry_model_versions WHERE model_name = ?"
                                + " RETURNING version, created_at")) {
                    // versions of one model are numbered 1, 2, ... without gaps, even with concurrent writers
                    lock.setString(1, "registry:" + modelName);
                    lock.execute();
                    ps.setString(1, modelName);
                    ps.setString(2, runId);
                    ps.setString(3, source);
                    ps.setString(4, toJson(tags));
                    ps.setString(5, modelName);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new ModelVersion(
                                modelName,
                                rs.getInt(1),
                                runId,
                                source,
                                rs.getTimestamp(2).getTime(),
                                Map.copyOf(tags));
                    }
                }
            });
        } catch (SQLException e) {
            throw new RegistryException("createModelVersion(" + modelName + ", " + runId + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ModelVersion> getModelVersion(String modelName, int version) {
        return version(
                "SELECT model_name, version, run_id, source, created_at, tags::text FROM reco.registry_model_versions"
                        + " WHERE model_name = ? AND version = ?",
                modelName,
                version);
    }

    @Override
    public void setAlias(String modelName, String alias, int version) {
        if (getModelVersion(modelName, version).isEmpty()) {
            throw new RegistryException("no version " + version + " of model " + modelName);
        }
        update(
                "INSERT INTO reco.registry_aliases (model_name, alias, version) VALUES (?, ?, ?)"
                        + " ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version, updated_at = now()",
                modelName,
                alias,
                version);
    }

    @Override
    public Optional<ModelVersion> getByAlias(String modelName, String alias) {
        return version(
                "SELECT v.model_name, v.version, v.run_id, v.source, v.created_at, v.tags::text"
                        + " FROM reco.registry_aliases a JOIN reco.registry_model_versions v"
                        + " ON v.model_name = a.model_name AND v.version = a.version WHERE a.model_name = ? AND a.alias = ?",
                modelName,
                alias);
    }

    @Override
    public List<ModelVersion> latestModelVersions(String modelName, int limit) {
        List<ModelVersion> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT model_name, version, run_id, source, created_at, tags::text"
                                + " FROM reco.registry_model_versions WHERE model_name = ? ORDER BY version DESC LIMIT ?")) {
            ps.setString(1, modelName);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ModelVersion(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getTimestamp(5).getTime(),
                            json.readValue(rs.getString(6), STRING_MAP)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new RegistryException("model version listing: " + e.getMessage(), e);
        }
        return out;
    }

    private Optional<ModelVersion> version(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp created = rs.getTimestamp(5);
                return Optional.of(new ModelVersion(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        created.getTime(),
                        json.readValue(rs.getString(6), STRING_MAP)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new RegistryException("model version lookup: " + e.getMessage(), e);
        }
    }

    private void requireRun(String runId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM reco.registry_runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RegistryException("no run " + runId);
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("run lookup: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    private String toJson(Map<String, String> map) {
        return Jdbc.jsonb(json, map);
    }
}
