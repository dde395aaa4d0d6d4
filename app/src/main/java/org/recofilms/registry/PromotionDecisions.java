package org.recofilms.registry;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** reco.promotion_decisions: every promotion decision, automatic or manual, readable through the API. */
@ApplicationScoped
public class PromotionDecisions {

    /** One recorded decision. */
    public record Decision(
            long id,
            String model,
            String challengerVersion,
            String championVersion,
            Double challengerScore,
            Double championScore,
            String outcome,
            String reason,
            String actor,
            Instant decidedAt) {}

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
                    out.add(new Decision(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            (Double) rs.getObject(5),
                            (Double) rs.getObject(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getTimestamp(10).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("could not read the promotion decisions: " + e.getMessage(), e);
        }
        return out;
    }
}
