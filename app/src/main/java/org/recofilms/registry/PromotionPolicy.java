package org.recofilms.registry;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.recofilms.training.evaluation.Estimate;
import org.recofilms.training.evaluation.FullRankingMetrics;
import org.recofilms.training.evaluation.PairedDifference;

/**
 * The champion/challenger rule. Two kinds of comparison:
 *
 * <ul>
 *   <li>a full-ranking metric that every family has ({@code full_ndcg_100} by default): the challenger is promoted
 *       only when its gain over the champion is positive and above {@code minStandardErrors} standard errors of
 *       the difference. The difference is paired user by user when both models were scored on the same held-out
 *       users and items (their per-user metrics, {@link Candidate#perUser()}, carry the same split fingerprint);
 *       otherwise the two means are compared as independent samples (standard error sqrt(se1^2 + se2^2), from the
 *       logged {@code _se} metrics), which is wider. Without any standard error a positive gain is enough.
 *   <li>{@value #SEED_WEIGHTED}: the seed's score 0.6 ndcg_10 + 0.3 precision_10 + 0.1 recall_10 (weights
 *       configurable); the challenger wins when its score beats the champion's by at least {@code minGain}.
 * </ul>
 *
 * When the chosen full-ranking metric is missing on either side (a model trained without the full-ranking
 * protocol), the seed's score decides and the reason says so. With no champion the challenger is promoted.
 */
public record PromotionPolicy(
        String metric,
        double minStandardErrors,
        double ndcgWeight,
        double precisionWeight,
        double recallWeight,
        double minGain) {

    /** {@link #metric()} of the seed's weighted score. */
    public static final String SEED_WEIGHTED = "seed_weighted";

    /** Prefix of the full-ranking metrics of the model itself (not its baselines) in a run's metrics. */
    public static final String FULL_PREFIX = "full_";

    /** Family of a version that does not name one: the seed's item-kNN. */
    public static final String DEFAULT_FAMILY = "itemknn";

    public PromotionPolicy {
        if (!SEED_WEIGHTED.equals(metric)) {
            fullMetric(metric);
        }
        if (!(minStandardErrors >= 0)) {
            throw new IllegalArgumentException("min-standard-errors must be >= 0, got " + minStandardErrors);
        }
    }

    /**
     * One side of a comparison.
     *
     * @param family the model family ({@value #DEFAULT_FAMILY} when the version does not say)
     * @param metrics the run's metrics
     * @param perUser its per-user full-ranking test metrics, when its artifacts hold them
     */
    public record Candidate(String family, Map<String, Double> metrics, Optional<FullRankingMetrics> perUser) {

        public static Candidate of(Map<String, Double> metrics) {
            return new Candidate(DEFAULT_FAMILY, metrics, Optional.empty());
        }
    }

    /** How the difference was measured. */
    public enum Basis {
        /** No champion: nothing to compare. */
        FIRST_MODEL,
        /** Per-user differences over the same held-out users and items. */
        PAIRED,
        /** Two means on different users, as independent samples. */
        UNPAIRED,
        /** A full-ranking metric without any standard error: the sign of the gain alone. */
        NO_STANDARD_ERROR,
        /** The seed's weighted score and minimum gain. */
        SEED_WEIGHTED
    }

    /**
     * The outcome of one comparison, with the numbers behind it.
     *
     * @param promote whether the challenger takes the alias
     * @param metric the metric compared ({@code full_ndcg_100}, or {@value #SEED_WEIGHTED})
     * @param challengerValue the challenger's value of it
     * @param championValue the champion's, when there is a champion
     * @param difference challenger - champion, when there is a champion
     * @param differenceSe standard error of the difference, when known
     * @param pairedUsers users the paired difference ran over, when paired
     * @param minStandardErrors the threshold in standard errors (full-ranking metrics), else empty
     * @param basis how the difference was measured
     * @param reason a sentence for people; says "not significant" when that kept the champion
     */
    public record Decision(
            boolean promote,
            String metric,
            double challengerValue,
            Optional<Double> championValue,
            Optional<Double> difference,
            Optional<Double> differenceSe,
            Optional<Integer> pairedUsers,
            Optional<Double> minStandardErrors,
            Basis basis,
            String reason) {}

    /** The seed's rule: its weighted score, any positive gain. */
    public static PromotionPolicy seed() {
        return new PromotionPolicy(SEED_WEIGHTED, 2, 0.6, 0.3, 0.1, 0.0);
    }

    /** Full-ranking {@code metric} (e.g. {@code full_ndcg_100}) at {@code minStandardErrors}, seed weights beside. */
    public static PromotionPolicy fullRanking(String metric, double minStandardErrors) {
        return new PromotionPolicy(metric, minStandardErrors, 0.6, 0.3, 0.1, 0.0);
    }

    /** The seed's weighted score of {@code metrics}. */
    public double score(Map<String, Double> metrics) {
        return ndcgWeight * metric(metrics, "ndcg_10")
                + precisionWeight * metric(metrics, "precision_10")
                + recallWeight * metric(metrics, "recall_10");
    }

    private static double metric(Map<String, Double> metrics, String name) {
        Double value = metrics.get(name);
        if (value == null || value.isNaN()) {
            throw new RegistryException("metric " + name + " missing: cannot score the model");
        }
        return value;
    }

    /** The seed's rule on metrics alone (no families, no per-user values). */
    public Decision decide(Map<String, Double> challenger, Optional<Map<String, Double>> champion) {
        return decide(Candidate.of(challenger), champion.map(Candidate::of));
    }

    public Decision decide(Candidate challenger, Optional<Candidate> champion) {
        if (SEED_WEIGHTED.equals(metric)) {
            return seedWeighted(challenger, champion, "");
        }
        Optional<Double> mine = value(challenger.metrics(), metric);
        if (champion.isEmpty()) {
            if (mine.isEmpty()) {
                return seedWeighted(challenger, champion, "");
            }
            return new Decision(
                    true,
                    metric,
                    mine.get(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(minStandardErrors),
                    Basis.FIRST_MODEL,
                    "no champion: the first model is promoted");
        }
        Optional<Double> theirs = value(champion.get().metrics(), metric);
        if (mine.isEmpty() || theirs.isEmpty()) {
            String side = mine.isEmpty() && theirs.isEmpty()
                    ? "both models"
                    : mine.isEmpty() ? "the challenger" : "the champion";
            return seedWeighted(
                    challenger, champion, metric + " missing on " + side + ": compared on " + SEED_WEIGHTED + "; ");
        }
        FullRankingMetrics.Metric m = fullMetric(metric);
        Optional<FullRankingMetrics> a = challenger.perUser();
        Optional<FullRankingMetrics> b = champion.get().perUser();
        Estimate difference;
        Basis basis;
        if (a.isPresent()
                && b.isPresent()
                && a.get().splitFingerprint() != null
                && a.get().splitFingerprint().equals(b.get().splitFingerprint())) {
            difference = a.get().pairedDifference(b.get(), m);
            basis = Basis.PAIRED;
        } else {
            Optional<Double> seA = value(challenger.metrics(), metric + FullRankingMetrics.SE_SUFFIX);
            Optional<Double> seB = value(champion.get().metrics(), metric + FullRankingMetrics.SE_SUFFIX);
            if (seA.isPresent() && seB.isPresent()) {
                difference = PairedDifference.unpaired(
                        new Estimate(mine.get(), seA.get(), 0), new Estimate(theirs.get(), seB.get(), 0));
                basis = Basis.UNPAIRED;
            } else {
                difference = new Estimate(mine.get() - theirs.get(), Double.NaN, 0);
                basis = Basis.NO_STANDARD_ERROR;
            }
        }
        double d = difference.mean();
        Optional<Double> se =
                difference.hasStandardError() ? Optional.of(difference.standardError()) : Optional.empty();
        boolean promote = d > 0 && (se.isEmpty() || d > minStandardErrors * se.get());
        String numbers = String.format(
                Locale.ROOT,
                "%s %s %.6f (%s), champion %.6f (%s): difference %+.6f",
                metric,
                "challenger",
                mine.get(),
                challenger.family(),
                theirs.get(),
                champion.get().family(),
                d);
        String how = switch (basis) {
            case PAIRED -> String.format(Locale.ROOT, ", paired over %d users", difference.users());
            case UNPAIRED -> ", unpaired (the models were scored on different held-out users)";
            default -> ", no standard error";
        };
        String verdict;
        if (se.isPresent()) {
            double z = se.get() > 0 ? d / se.get() : d > 0 ? Double.POSITIVE_INFINITY : 0;
            String sizes = String.format(
                    Locale.ROOT, ", SE %.6f: %.2f standard errors, threshold %s", se.get(), z, trim(minStandardErrors));
            verdict = sizes
                    + (promote
                            ? ": significant gain, promoted"
                            : d > 0 ? ": not significant, champion kept" : ": no gain, champion kept");
        } else {
            verdict = promote ? ": gain, promoted" : ": no gain, champion kept";
        }
        return new Decision(
                promote,
                metric,
                mine.get(),
                theirs,
                Optional.of(d),
                se,
                basis == Basis.PAIRED ? Optional.of(difference.users()) : Optional.empty(),
                Optional.of(minStandardErrors),
                basis,
                numbers + how + verdict);
    }

    private Decision seedWeighted(Candidate challenger, Optional<Candidate> champion, String prefix) {
        double challengerScore = score(challenger.metrics());
        if (champion.isEmpty()) {
            return new Decision(
                    true,
                    SEED_WEIGHTED,
                    challengerScore,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Basis.FIRST_MODEL,
                    prefix + "no champion: the first model is promoted");
        }
        double championScore = score(champion.get().metrics());
        double gain = challengerScore - championScore;
        boolean promote = gain >= minGain && gain > 0;
        String reason = String.format(
                Locale.ROOT,
                "%schallenger (%s) scores %.6f, champion (%s) %.6f: gain %.6f %s",
                prefix,
                challenger.family(),
                challengerScore,
                champion.get().family(),
                championScore,
                gain,
                promote
                        ? String.format(Locale.ROOT, ">= %.6f", minGain)
                        : String.format(Locale.ROOT, "below the minimum %.6f (or not positive)", minGain));
        return new Decision(
                promote,
                SEED_WEIGHTED,
                challengerScore,
                Optional.of(championScore),
                Optional.of(gain),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Basis.SEED_WEIGHTED,
                reason);
    }

    private static Optional<Double> value(Map<String, Double> metrics, String name) {
        Double v = metrics.get(name);
        return v == null || v.isNaN() ? Optional.empty() : Optional.of(v);
    }

    /** The per-user metric behind {@code full_<key>}. */
    static FullRankingMetrics.Metric fullMetric(String metric) {
        if (metric == null || !metric.startsWith(FULL_PREFIX)) {
            throw new IllegalArgumentException("promotion metric must be " + SEED_WEIGHTED + " or a full-ranking"
                    + " metric (full_ndcg_100, full_recall_20_truncated, full_recall_20, full_recall_50_truncated),"
                    + " got " + metric);
        }
        try {
            return FullRankingMetrics.Metric.byKey(metric.substring(FULL_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no full-ranking metric " + metric + " (full_ndcg_100,"
                    + " full_recall_20_truncated, full_recall_20, full_recall_50_truncated)");
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
