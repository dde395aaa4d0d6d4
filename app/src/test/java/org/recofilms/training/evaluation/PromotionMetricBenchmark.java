package org.recofilms.training.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.recofilms.training.EaseParams;
import org.recofilms.training.EaseTrainer;
import org.recofilms.training.FactorModel;
import org.recofilms.training.IalsParams;
import org.recofilms.training.IalsTrainer;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.ItemKnnTrainer;
import org.recofilms.training.NeighborLists;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.Rp3BetaParams;
import org.recofilms.training.Rp3BetaTrainer;
import org.recofilms.training.SyntheticRatings;

/**
 * The evidence for the default promotion metric: on generated data, the four families trained on the full-ranking
 * split's positives and scored on its test users; for each candidate metric, each model's relative standard error
 * (se / mean) and, what a promotion decides on, the paired difference between every two families in standard
 * errors (z). The metric with the largest median |z| over the six pairs tells real differences from noise best.
 * Prints its numbers; not a test.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/bench-classpath.txt) \
 *     org.recofilms.training.evaluation.PromotionMetricBenchmark
 * </pre>
 */
public final class PromotionMetricBenchmark {

    static final String[] FAMILIES = {"itemknn", "rp3beta", "ease", "ials"};

    private PromotionMetricBenchmark() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        SyntheticRatings.Shape[] shapes = {
            new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 21),
            new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 7),
            new SyntheticRatings.Shape(6000, 3000, 600_000, 12, 20, 9),
        };
        for (SyntheticRatings.Shape shape : shapes) {
            System.out.println(shape);
            FullRankingProtocol.Split split = FullRankingProtocol.split(
                    SyntheticRatings.generate(shape), FullRankingProtocol.Config.defaults(), ProgressListener.NONE);
            Map<FullRankingMetrics.Metric, Double> z = print(families(split));
            System.out.println("largest median |z|: full_" + best(z).key());
        }
    }

    /** The four families with their test parameters, trained on {@code split}'s positives and scored on its test users. */
    static Map<String, FullRankingMetrics> families(FullRankingProtocol.Split split) {
        Ratings train = split.trainingPositives();
        int[] catalogue = split.catalogue();
        NeighborLists knn =
                new ItemKnnTrainer(ItemKnnParams.seed().withMinRatings(1).withKNeighbors(100)).train(train);
        NeighborLists rp3 = new Rp3BetaTrainer(Rp3BetaParams.defaults()).train(train);
        NeighborLists ease =
                new EaseTrainer(EaseParams.defaults().withMinRatings(5).withL2(50)).train(train);
        FactorModel ials = new IalsTrainer(IalsParams.defaults().withFactors(32).withIterations(10)).train(train);
        Map<String, FullRankingMetrics> metrics = new LinkedHashMap<>();
        metrics.put("itemknn", evaluate(split, Scorers.itemKnn(knn, catalogue)));
        metrics.put("rp3beta", evaluate(split, Scorers.rp3beta(rp3, catalogue)));
        metrics.put("ease", evaluate(split, Scorers.ease(ease, catalogue)));
        metrics.put("ials", evaluate(split, Scorers.ials(ials, catalogue)));
        return metrics;
    }

    private static FullRankingMetrics evaluate(FullRankingProtocol.Split split, Scorer scorer) {
        return FullRankingProtocol.evaluate(split, FullRankingProtocol.Users.TEST, scorer, 0, ProgressListener.NONE);
    }

    /** Prints the table; returns each metric's median |z| over the six pairs of families. */
    static Map<FullRankingMetrics.Metric, Double> print(Map<String, FullRankingMetrics> metrics) {
        System.out.printf(
                "%-26s %-30s %-44s %s%n",
                "metric", "rel. se (knn rp3 ease ials)", "paired z of the 6 pairs", "median |z|");
        Map<FullRankingMetrics.Metric, Double> medians = new LinkedHashMap<>();
        for (FullRankingMetrics.Metric metric : FullRankingMetrics.Metric.values()) {
            StringBuilder rel = new StringBuilder();
            for (String f : FAMILIES) {
                rel.append(
                        String.format("%.4f ", metrics.get(f).estimate(metric).relativeStandardError()));
            }
            double[] z = new double[6];
            StringBuilder zs = new StringBuilder();
            int k = 0;
            for (int i = 0; i < FAMILIES.length; i++) {
                for (int j = i + 1; j < FAMILIES.length; j++) {
                    Estimate d = metrics.get(FAMILIES[j]).pairedDifference(metrics.get(FAMILIES[i]), metric);
                    double zij = d.mean() / d.standardError();
                    z[k++] = Math.abs(zij);
                    zs.append(String.format("%6.2f ", zij));
                }
            }
            Arrays.sort(z);
            double median = (z[2] + z[3]) / 2;
            medians.put(metric, median);
            System.out.printf("%-26s %-30s %-44s %.2f%n", "full_" + metric.key(), rel, zs, median);
        }
        return medians;
    }

    static FullRankingMetrics.Metric best(Map<FullRankingMetrics.Metric, Double> medianZ) {
        return medianZ.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }
}
