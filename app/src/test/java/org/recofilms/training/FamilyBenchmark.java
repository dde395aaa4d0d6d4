package org.recofilms.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.recofilms.training.evaluation.FullRankingMetrics;
import org.recofilms.training.evaluation.FullRankingProtocol;
import org.recofilms.training.evaluation.Scorer;
import org.recofilms.training.evaluation.Scorers;

/**
 * Training time and full-ranking metrics per model family on generated data ({@link SyntheticRatings}, the ML-20M
 * shape with users, movies and ratings multiplied by SCALE); prints its numbers. Not a test.
 *
 * <pre>
 * java -Xmx6g -cp target/classes:target/test-classes:$(cat target/bench-classpath.txt) \
 *     org.recofilms.training.FamilyBenchmark [SCALE (1.0)] [RUNS (3)] [FAMILIES (itemknn,rp3beta,ease,ials)]
 * </pre>
 *
 * Each family trains RUNS times on the full-ranking split's training positives (median time reported, the first run
 * included: no separate warm-up), then the last model is evaluated with the full-ranking protocol. Parameters are
 * each family's defaults, item-kNN with {@code minRatings} 1 and 100 neighbours.
 */
public final class FamilyBenchmark {

    private FamilyBenchmark() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> families = List.of((args.length > 2 ? args[2] : "itemknn,rp3beta,ease,ials").split(","));
        SyntheticRatings.Shape full = SyntheticRatings.Shape.ml20m(7);
        SyntheticRatings.Shape shape = new SyntheticRatings.Shape(
                (int) Math.max(200, full.users() * scale),
                (int) Math.max(500, full.movies() * scale),
                (long) Math.max(10_000, full.ratings() * scale),
                full.clusters(),
                full.minPerUser(),
                full.randomSeed());
        Ratings ratings = SyntheticRatings.generate(shape);
        FullRankingProtocol.Split split =
                FullRankingProtocol.split(ratings, FullRankingProtocol.Config.defaults(), ProgressListener.NONE);
        Ratings train = split.trainingPositives();
        System.out.printf(
                "scale %.3f: %,d ratings, %,d training positives, catalogue %,d, %d processors, max heap %d MiB%n",
                scale,
                ratings.size(),
                train.size(),
                split.catalogue().length,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        for (String family : families) {
            Supplier<Object> trainer = switch (family) {
                case "itemknn" ->
                    () -> new ItemKnnTrainer(
                                    ItemKnnParams.seed().withMinRatings(1).withKNeighbors(100))
                            .train(train);
                case "rp3beta" -> () -> new Rp3BetaTrainer(Rp3BetaParams.defaults()).train(train);
                case "ease" -> () -> new EaseTrainer(EaseParams.defaults()).train(train);
                case "ials" -> () -> new IalsTrainer(IalsParams.defaults()).train(train);
                default -> throw new IllegalArgumentException("unknown family " + family);
            };
            double[] seconds = new double[runs];
            Object model = null;
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                model = trainer.get();
                seconds[run] = (System.nanoTime() - t0) / 1e9;
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            Scorer scorer = model instanceof FactorModel f
                    ? Scorers.ials(f, split.catalogue())
                    : Scorers.itemKnn((NeighborLists) model, split.catalogue());
            FullRankingMetrics m = FullRankingProtocol.evaluate(split, scorer, 0, ProgressListener.NONE);
            List<String> runTimes = new ArrayList<>();
            for (double s : seconds) {
                runTimes.add(String.format("%.2f", s));
            }
            System.out.printf(
                    "%-8s train median %7.2f s (runs %s); %s; NDCG@100 %.4f, Recall@20 %.4f, coverage@20 %.3f%n",
                    family,
                    sorted[runs / 2],
                    String.join(", ", runTimes),
                    model,
                    m.ndcg100(),
                    m.truncatedRecall20(),
                    m.coverage20());
        }
        FullRankingMetrics top =
                FullRankingProtocol.evaluate(split, Scorers.fixed(split.positiveCounts()), 0, ProgressListener.NONE);
        System.out.printf("toppop   NDCG@100 %.4f, Recall@20 %.4f%n", top.ndcg100(), top.truncatedRecall20());
    }
}
