package org.recofilms.training.evaluation;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Full-ranking metrics (see {@link FullRankingProtocol}) of one model on one set of held-out users: each metric's
 * value for every evaluated user, so that means, standard errors and paired differences against another model on
 * the same users can all be computed. Immutable.
 *
 * <ul>
 *   <li>recall@20: hits in the top 20 / |test items|;
 *   <li>truncated recall@20: hits in the top 20 / min(20, |test items|): Liang et al.'s Recall@20, the one Dacrema
 *       et al. report (0.2851 for tuned item-kNN, 0.1441 for TopPop on ML-20M);
 *   <li>truncated recall@50: Liang's Recall@50;
 *   <li>NDCG@100: binary, ideal DCG over min(100, |test items|) ranks (Dacrema et al.: 0.3459 item-kNN, 0.1901
 *       TopPop on ML-20M);
 *   <li>coverage@20: share of the catalogue in at least one user's top 20 (one number for the whole set, no
 *       standard error).
 * </ul>
 */
public final class FullRankingMetrics {

    /** The per-user metrics, with their names for run tracking. */
    public enum Metric {
        RECALL_20("recall_20"),
        RECALL_20_TRUNCATED("recall_20_truncated"),
        RECALL_50_TRUNCATED("recall_50_truncated"),
        NDCG_100("ndcg_100");

        private final String key;

        Metric(String key) {
            this.key = key;
        }

        /** The name in {@link #asMap()}: {@code ndcg_100}; its standard error is {@code ndcg_100_se}. */
        public String key() {
            return key;
        }

        /** The metric named {@code key} ({@code ndcg_100}, ...). */
        public static Metric byKey(String key) {
            for (Metric m : values()) {
                if (m.key.equals(key)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("no full-ranking metric " + key);
        }
    }

    /** Suffix of a standard error's name in {@link #asMap()}. */
    public static final String SE_SUFFIX = "_se";

    private final FullRankingProtocol.Users users;
    private final String splitFingerprint;
    private final int[] userIds;
    private final EnumMap<Metric, double[]> values;
    private final double coverage20;
    private final int catalogueSize;

    /**
     * @param users which held-out users were scored
     * @param splitFingerprint {@link FullRankingProtocol.HeldOut#fingerprint()} of those users
     * @param userIds evaluated users, ascending
     * @param values one value per evaluated user for every {@link Metric}
     * @param coverage20 share of the catalogue in at least one top 20
     * @param catalogueSize movies that could be recommended
     */
    public FullRankingMetrics(
            FullRankingProtocol.Users users,
            String splitFingerprint,
            int[] userIds,
            Map<Metric, double[]> values,
            double coverage20,
            int catalogueSize) {
        this.users = users;
        this.splitFingerprint = splitFingerprint;
        this.userIds = userIds.clone();
        this.values = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            double[] v = values.get(m);
            if (v == null || v.length != userIds.length) {
                throw new IllegalArgumentException(m.key + ": one value per evaluated user");
            }
            this.values.put(m, v.clone());
        }
        this.coverage20 = coverage20;
        this.catalogueSize = catalogueSize;
    }

    public FullRankingProtocol.Users evaluatedOn() {
        return users;
    }

    public String splitFingerprint() {
        return splitFingerprint;
    }

    /** Held-out users with at least one test item. */
    public int users() {
        return userIds.length;
    }

    public int catalogueSize() {
        return catalogueSize;
    }

    public double coverage20() {
        return coverage20;
    }

    /** Evaluated user ids, ascending (a copy). */
    public int[] userIds() {
        return userIds.clone();
    }

    /** {@code metric} of each evaluated user, in {@link #userIds()} order (a copy). */
    public double[] perUser(Metric metric) {
        return values.get(metric).clone();
    }

    /** The mean of {@code metric} over the evaluated users, with its standard error. */
    public Estimate estimate(Metric metric) {
        return Estimate.of(values.get(metric));
    }

    /** The paired difference {@code this - other} of {@code metric} over the users both evaluated. */
    public Estimate pairedDifference(FullRankingMetrics other, Metric metric) {
        return PairedDifference.of(userIds, values.get(metric), other.userIds, other.values.get(metric));
    }

    public double recall20() {
        return estimate(Metric.RECALL_20).mean();
    }

    public double truncatedRecall20() {
        return estimate(Metric.RECALL_20_TRUNCATED).mean();
    }

    public double truncatedRecall50() {
        return estimate(Metric.RECALL_50_TRUNCATED).mean();
    }

    public double ndcg100() {
        return estimate(Metric.NDCG_100).mean();
    }

    /**
     * Metrics under stable names for run tracking: each metric's mean ({@code ndcg_100}) and, from two users on,
     * its standard error ({@code ndcg_100_se}); {@code coverage_20}; {@code users}, the number evaluated.
     */
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            Estimate e = estimate(m);
            map.put(m.key, e.mean());
            if (e.hasStandardError()) {
                map.put(m.key + SE_SUFFIX, e.standardError());
            }
        }
        map.put("coverage_20", coverage20);
        map.put("users", (double) userIds.length);
        return map;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FullRankingMetrics other)) {
            return false;
        }
        if (users != other.users
                || coverage20 != other.coverage20
                || catalogueSize != other.catalogueSize
                || !Arrays.equals(userIds, other.userIds)
                || !java.util.Objects.equals(splitFingerprint, other.splitFingerprint)) {
            return false;
        }
        for (Metric m : Metric.values()) {
            if (!Arrays.equals(values.get(m), other.values.get(m))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(userIds) + Arrays.hashCode(values.get(Metric.NDCG_100));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FullRankingMetrics[").append(users).append(' ');
        for (Metric m : Metric.values()) {
            Estimate e = estimate(m);
            s.append(String.format(Locale.ROOT, "%s=%.4f±%.4f ", m.key, e.mean(), e.standardError()));
        }
        return s.append(String.format(
                        Locale.ROOT, "coverage_20=%.4f users=%d catalogue=%d]", coverage20, users(), catalogueSize))
                .toString();
    }
}
