package org.recofilms.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.SyntheticRatings;

/** Every model family through the full-ranking protocol, and the protocol's fixes of issue 15. */
class ModelFamiliesEvaluationTest {

    @TempDir
    static Path tmp;

    private static FullRankingProtocol.Split split;

    /** The generator's demo preset (1,000 users, 2,000 movies, 150,000 ratings), read back from its ratings.csv. */
    @BeforeAll
    static void generate() throws IOException {
        MovieLensGenerator.generate(GeneratorConfig.demo(), tmp.resolve("ml"));
        Ratings ratings = readRatings(tmp.resolve("ml").resolve("ratings.csv"));
        split = FullRankingProtocol.split(
                ratings, FullRankingProtocol.Config.defaults().withHeldOutUsers(200), ProgressListener.NONE);
    }

    static Ratings readRatings(Path csv) throws IOException {
        int[] users = new int[1 << 16];
        int[] movies = new int[1 << 16];
        float[] values = new float[1 << 16];
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                if (n == users.length) {
                    users = Arrays.copyOf(users, 2 * n);
                    movies = Arrays.copyOf(movies, 2 * n);
                    values = Arrays.copyOf(values, 2 * n);
                }
                users[n] = Integer.parseInt(f[0]);
                movies[n] = Integer.parseInt(f[1]);
                values[n++] = Float.parseFloat(f[2]);
            }
        }
        return new Ratings(Arrays.copyOf(users, n), Arrays.copyOf(movies, n), Arrays.copyOf(values, n));
    }

    /** TopPop and each family scored on the test users, in a fixed order. */
    private static Map<String, FullRankingMetrics> familyMetrics;

    private static Map<String, FullRankingMetrics> familyMetrics() {
        if (familyMetrics == null) {
            Map<String, FullRankingMetrics> metrics = new LinkedHashMap<>();
            metrics.put(
                    "toppop",
                    FullRankingProtocol.evaluate(
                            split, Scorers.fixed(split.positiveCounts()), 0, ProgressListener.NONE));
            metrics.putAll(PromotionMetricBenchmark.families(split));
            familyMetrics = metrics;
        }
        return familyMetrics;
    }

    @Test
    void everyFamilyBeatsTopPopOnTheGeneratedData() {
        Map<String, FullRankingMetrics> metrics = familyMetrics();
        metrics.forEach((family, m) -> System.out.printf(
                "%-8s NDCG@100 %.4f  Recall@20 %.4f  Recall@50 %.4f  coverage@20 %.3f  (%d users, %d movies)%n",
                family,
                m.ndcg100(),
                m.truncatedRecall20(),
                m.truncatedRecall50(),
                m.coverage20(),
                m.users(),
                m.catalogueSize()));
        double topPop = metrics.get("toppop").ndcg100();
        for (String family : PromotionMetricBenchmark.FAMILIES) {
            FullRankingMetrics m = metrics.get(family);
            assertTrue(m.users() >= 150, family + " evaluated users");
            assertTrue(m.ndcg100() > topPop, family + " " + m.ndcg100() + " vs TopPop " + topPop);
        }
    }

    /**
     * Prints the evidence table for the promotion metric on the generator's demo data (PromotionMetricBenchmark
     * prints it for larger data), and checks what makes a paired comparison worth having: for every metric and
     * pair of families, the paired difference's standard error is below the unpaired one, sqrt(se1^2 + se2^2).
     */
    @Test
    void pairingNarrowsTheStandardErrorOfEveryDifference() {
        Map<String, FullRankingMetrics> metrics = familyMetrics();
        PromotionMetricBenchmark.print(metrics);
        for (FullRankingMetrics.Metric metric : FullRankingMetrics.Metric.values()) {
            for (String a : PromotionMetricBenchmark.FAMILIES) {
                for (String b : PromotionMetricBenchmark.FAMILIES) {
                    if (a.equals(b)) {
                        continue;
                    }
                    Estimate paired = metrics.get(a).pairedDifference(metrics.get(b), metric);
                    Estimate unpaired = PairedDifference.unpaired(
                            metrics.get(a).estimate(metric), metrics.get(b).estimate(metric));
                    assertEquals(unpaired.mean(), paired.mean(), 1e-12, "same users, same mean difference");
                    assertTrue(
                            paired.standardError() > 0 && paired.standardError() < unpaired.standardError(),
                            a + " - " + b + " " + metric + ": " + paired + " vs " + unpaired);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0, RATING", "3.5, ONE", "4, ONE", "4.5, RATING", "5, ONE"})
    void noPositiveThresholdEmptiesTheFullRankingModel(float threshold, ItemKnnParams.PositiveValue value) {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(800, 400, 40_000, 8, 20, 9));
        FullRankingProtocol.Config config =
                FullRankingProtocol.Config.defaults().withHeldOutUsers(100);
        ItemKnnParams base = ItemKnnParams.seed().withMinRatings(5);
        FullRankingProtocol.Report plain = FullRankingProtocol.run(ratings, base, config, ProgressListener.NONE);
        FullRankingProtocol.Report withThreshold = FullRankingProtocol.run(
                ratings, base.withPositiveOnly(threshold, value), config, ProgressListener.NONE);
        assertTrue(withThreshold.model().totalNeighbors() > 0, "empty model with threshold " + threshold);
        // The protocol trains item-kNN as it is served, on the raw training ratings: the option applies to the raw
        // values there as in serving, so it changes the model (unless it keeps every rating) but never empties it.
        assertTrue(threshold > 0
                || plain.model().totalNeighbors() == withThreshold.model().totalNeighbors());
        // A model that scores nothing ranks exactly as TopPop (zeroScoresRankByPopularityNotById): this one does not.
        assertNotEquals(withThreshold.topPopularity(), withThreshold.itemKnn());
        if (threshold < 5) {
            // 5 keeps only five-star ratings, which on these data is too little for item-kNN to beat TopPop
            assertTrue(
                    withThreshold.itemKnn().ndcg100()
                            > withThreshold.topPopularity().ndcg100(),
                    withThreshold.itemKnn() + " vs " + withThreshold.topPopularity());
        }
    }

    @Test
    void zeroScoresRankByPopularityNotById() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(800, 400, 40_000, 8, 20, 9));
        FullRankingProtocol.Split s = FullRankingProtocol.split(
                ratings, FullRankingProtocol.Config.defaults().withHeldOutUsers(100), ProgressListener.NONE);
        FullRankingMetrics zero =
                FullRankingProtocol.evaluate(s, (history, length, scores) -> {}, 1, ProgressListener.NONE);
        FullRankingMetrics topPop =
                FullRankingProtocol.evaluate(s, Scorers.fixed(s.positiveCounts()), 1, ProgressListener.NONE);
        // A model that scores nothing ranks exactly as TopPop.
        assertEquals(topPop, zero);
        assertTrue(zero.ndcg100() > 0);
    }

    @Test
    void topNBreaksTiesByTheGivenPopularityThenPosition() {
        double[] scores = {0, 2, 0, 0, 2, 0};
        double[] popularity = {1, 3, 9, 1, 7, 0};
        boolean[] excluded = new boolean[6];
        int[] out = new int[4];
        double[] outScores = new double[4];
        int n = TopN.select(scores, popularity, 6, excluded, false, 4, out, outScores);
        assertEquals(4, n);
        assertArrayEquals(new int[] {4, 1, 2, 0}, out);
        n = TopN.select(scores, null, 6, excluded, false, 4, out, outScores);
        assertArrayEquals(new int[] {1, 4, 0, 2}, out);
    }
}
