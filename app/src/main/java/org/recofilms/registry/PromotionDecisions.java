package org.recofilms.registry;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** reco.promotion_decisions: every promotion decision, automatic or manual, readable through the API. */
@ApplicationScoped
public class PromotionDecisions {

    /** One recorded decision. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Decision(
            long id,
            String model,
            @Schema(nullable = true) String challengerVersion,
            @Schema(nullable = true) String championVersion,
            @Schema(nullable = true) Double challengerScore,
            @Schema(nullable = true) Double championScore,
            String outcome,
            String reason,
            String actor,
            Instant decidedAt) {

        /** Decision {@code id} as read from reco.promotion_decisions. */
        static Builder builder(long id) {
            return new Builder(id);
        }

        /** Names the fields of a {@link Decision}; versions and scores stay null when there was none. */
        static final class Builder {
            private final long id;
            private String model;
            private String challengerVersion;
            private String championVersion;
            private Double challengerScore;
            private Double championScore;
            private String outcome;
            private String reason;
            private String actor;

            private Builder(long id) {
                this.id = id;
            }

            Builder model(String model) {
                this.model = model;
                return this;
            }

            Builder challenger(String version, Double score) {
                this.challengerVersion = version;
                this.challengerScore = score;
                return this;
            }

            Builder champion(String version, Double score) {
                this.championVersion = version;
                this.championScore = score;
                return this;
            }

            Builder outcome(String outcome) {
                this.outcome = outcome;
                return this;
            }

            Builder reason(String reason) {
                this.reason = reason;
                return this;
            }

            Builder actor(String actor) {
                this.actor = actor;
                return this;
            }

            /** The decision taken at {@code decidedAt}. */
            Decision decidedAt(Instant decidedAt) {
                return new Decision(
                        id,
                        model,
                        challengerVersion,
                        championVersion,
                        challengerScore,
                        championScore,
                        outcome,
                        reason,
                        actor,
                        decidedAt);
            }
        }
    }

    private final AgroalDataSource dataSource;

    public PromotionDecisions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(
            String model,
            Integer challenger,
            Integer champion,
            Double challengerScore,
            Double championScore,
            String outcome,
            String reason,
            String actor) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO reco.promotion_decisions (model_name,"
                        + " challenger_version, champion_version, challenger_score, champion_score, outcome, reason, actor)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, model);
            ps.setString(2, challenger == null ? null : challenger.toString());
            ps.setString(3, champion == null ? null : champion.toString());
            ps.setObject(4, challengerScore);
            ps.setObject(5, championScore);
            ps.setString(6, outcome);
            ps.setString(7, reason);
            ps.setString(8, actor);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryException("could not record the promotion decision: " + e.getMessage(), e);
        }
    }

    /** The newest decisions first. */
    public List<Decision> latest(String model, int limit) {
        List<Decision> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, model_name, challenger_version, champion_version,"
                                + " challenger_score, champion_score, outcome, reason, actor, decided_at"
                                + " FROM reco.promotion_decisions WHERE model_name = ? ORDER BY decided_at DESC, id DESC LIMIT ?")) {
            ps.setString(1, model);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Decision.builder(rs.getLong(1))
                            .model(rs.getString(2))
                            .challenger(rs.getString(3), (Double) rs.getObject(5))
                            .champion(rs.getString(4), (Double) rs.getObject(6))
                            .outcome(rs.getString(7))
                            .reason(rs.getString(8))
                            .actor(rs.getString(9))
                            .decidedAt(rs.getTimestamp(10).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("could not read the promotion decisions: " + e.getMessage(), e);
        }
        return out;
    }
}
