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

/**
 * reco.promotion_decisions: every promotion decision, automatic or manual, readable through the API. An automatic
 * decision keeps what it compared: both families, the metric and both values, the difference, its standard error,
 * the threshold in standard errors and how the difference was measured.
 */
@ApplicationScoped
public class PromotionDecisions {

    /** One recorded decision. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Decision(
            long id,
            String model,
            @Schema(nullable = true) String challengerVersion,
            @Schema(nullable = true) String championVersion,
            @Schema(nullable = true, examples = "ease") String challengerFamily,
            @Schema(nullable = true, examples = "itemknn") String championFamily,

            @Schema(nullable = true, description = "the metric compared", examples = "full_ndcg_100")
            String metric,

            @Schema(nullable = true, description = "the challenger's value of the metric")
            Double challengerScore,

            @Schema(nullable = true, description = "the champion's value of the metric")
            Double championScore,

            @Schema(nullable = true, description = "challenger - champion")
            Double difference,

            @Schema(nullable = true, description = "standard error of the difference")
            Double differenceSe,

            @Schema(nullable = true, description = "a gain must exceed this many standard errors")
            Double minStandardErrors,

            @Schema(nullable = true, description = "users of the paired difference")
            Integer pairedUsers,

            @Schema(
                    nullable = true,
                    description = "how the difference was measured: FIRST_MODEL, PAIRED, UNPAIRED,"
                            + " NO_STANDARD_ERROR or SEED_WEIGHTED; null for a manual decision")
            String basis,

            String outcome,
            String reason,
            String actor,
            Instant decidedAt) {}

    /**
     * A decision to record. Versions, families and numbers stay null when there was none (a manual promotion
     * compares nothing).
     */
    public static final class Entry {
        private final String model;
        private final String outcome;
        private final String reason;
        private final String actor;
        private Integer challengerVersion;
        private Integer championVersion;
        private String challengerFamily;
        private String championFamily;
        private PromotionPolicy.Decision evidence;

        private Entry(String model, String outcome, String reason, String actor) {
            this.model = model;
            this.outcome = outcome;
            this.reason = reason;
            this.actor = actor;
        }

        /** {@code outcome} (PROMOTED, KEPT_CHAMPION) of model {@code model}, why, and who decided. */
        public static Entry of(String model, String outcome, String reason, String actor) {
            return new Entry(model, outcome, reason, actor);
        }

        public Entry challenger(Integer version, String family) {
            this.challengerVersion = version;
            this.challengerFamily = family;
            return this;
        }

        public Entry champion(Integer version, String family) {
            this.championVersion = version;
            this.championFamily = family;
            return this;
        }

        /** The comparison that decided. */
        public Entry evidence(PromotionPolicy.Decision decision) {
            this.evidence = decision;
            return this;
        }
    }

    private static final String COLUMNS = "model_name, challenger_version, champion_version, challenger_family,"
            + " champion_family, metric, challenger_score, champion_score, difference, difference_se,"
            + " min_standard_errors, paired_users, basis, outcome, reason, actor";

    private final AgroalDataSource dataSource;

    public PromotionDecisions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(Entry e) {
        PromotionPolicy.Decision d = e.evidence;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO reco.promotion_decisions (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.model);
            ps.setString(2, e.challengerVersion == null ? null : e.challengerVersion.toString());
            ps.setString(3, e.championVersion == null ? null : e.championVersion.toString());
            ps.setString(4, e.challengerFamily);
            ps.setString(5, e.championFamily);
            ps.setString(6, d == null ? null : d.metric());
            ps.setObject(7, d == null ? null : d.challengerValue());
            ps.setObject(8, d == null ? null : d.championValue().orElse(null));
            ps.setObject(9, d == null ? null : d.difference().orElse(null));
            ps.setObject(10, d == null ? null : d.differenceSe().orElse(null));
            ps.setObject(11, d == null ? null : d.minStandardErrors().orElse(null));
            ps.setObject(12, d == null ? null : d.pairedUsers().orElse(null));
            ps.setString(13, d == null ? null : d.basis().name());
            ps.setString(14, e.outcome);
            ps.setString(15, e.reason);
            ps.setString(16, e.actor);
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new RegistryException("could not record the promotion decision: " + ex.getMessage(), ex);
        }
    }

    /** The newest decisions first. */
    public List<Decision> latest(String model, int limit) {
        List<Decision> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, " + COLUMNS + ", decided_at"
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
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            (Double) rs.getObject(8),
                            (Double) rs.getObject(9),
                            (Double) rs.getObject(10),
                            (Double) rs.getObject(11),
                            (Double) rs.getObject(12),
                            (Integer) rs.getObject(13),
                            rs.getString(14),
                            rs.getString(15),
                            rs.getString(16),
                            rs.getString(17),
                            rs.getTimestamp(18).toInstant()));
                }
            }
        } catch (SQLException ex) {
            throw new RegistryException("could not read the promotion decisions: " + ex.getMessage(), ex);
        }
        return out;
    }
}
