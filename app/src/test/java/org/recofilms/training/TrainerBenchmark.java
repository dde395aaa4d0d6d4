package org.recofilms.training;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.recofilms.registry.PromotionPolicy;
import org.recofilms.training.evaluation.FullRankingMetrics;
import org.recofilms.training.evaluation.FullRankingProtocol;
import org.recofilms.training.evaluation.SeedMetrics;
import org.recofilms.training.evaluation.SeedProtocol;

/**
 * Training and evaluation benchmark on generated ML-20M-scale data ({@link SyntheticRatings}); prints its numbers.
 *
 * <p>Not a test. Run from the test classpath, for instance after {@code mvn test-compile}:
 *
 * <pre>
 * java -Xmx2g -cp target/classes:target/test-classes org.recofilms.training.TrainerBenchmark [runs] [threads] [--options]
 * </pre>
 *
 * It times item-kNN training from the rating arrays to the neighbour lists (one warm-up, then {@code runs} timed
 * runs, default 5, median reported), the Bayesian popularity, the seed protocol and the full-ranking protocol, and
 * reports the peak heap in use (sampled every 5 ms, garbage included) and the process's peak RSS. With
 * {@code --options} it also evaluates each option beyond the seed (shrinkage, minimum co-ratings, positive-only
 * ratings) with both protocols.
 */
public final class TrainerBenchmark {

    private TrainerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Locale.setDefault(Locale.ROOT);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
                "JVM %s, %d processors, max heap %d MiB%n",
                System.getProperty("java.vm.version"), rt.availableProcessors(), rt.maxMemory() >> 20);

        long t0 = System.nanoTime();
        Ratings ratings = SyntheticRatings.generate(SyntheticRatings.Shape.ml20m(7));
        System.out.printf("generated %,d ratings in %.1f s%n", ratings.size(), seconds(t0));
        describe(ratings);

        HeapSampler heap = HeapSampler.start();
        long baseline = usedHeapAfterGc();
        System.out.printf("heap in use with the input arrays: %d MiB%n", baseline >> 20);

        ItemKnnParams params = ItemKnnParams.seed().withParallelism(threads);
        ItemKnnTrainer trainer = new ItemKnnTrainer(params);
        NeighborLists lists = trainer.train(ratings); // warm-up
        double[] times = new double[runs];
        long peak = 0;
        for (int run = 0; run < runs; run++) {
            usedHeapAfterGc();
            heap.reset();
            long t = System.nanoTime();
            lists = trainer.train(ratings);
            times[run] = seconds(t);
            peak = Math.max(peak, heap.peak());
            System.out.printf("  training run %d: %.2f s (load average %.1f)%n", run + 1, times[run], loadAverage());
        }
        Arrays.sort(times);
        System.out.printf(
                "TRAINING item-kNN (k=%d, min_ratings=%d, %d threads): median %.2f s, min %.2f s, max %.2f s%n",
                params.kNeighbors(),
                params.minRatings(),
                params.effectiveParallelism(),
                times[runs / 2],
                times[0],
                times[runs - 1]);
        System.out.printf(
                "  model: %,d movies, %,d neighbour rows; peak heap in use %d MiB (input arrays %d MiB)%n",
                lists.size(), lists.totalNeighbors(), peak >> 20, baseline >> 20);

        long tp = System.nanoTime();
        MoviePopularity popularity = BayesianPopularity.compute(ratings);
        System.out.printf(
                "POPULARITY: %,d movies in %.2f s (C = %.1f, M = %.3f)%n",
                popularity.size(), seconds(tp), popularity.meanCount(), popularity.meanOfMeans());

        heap.reset();
        SeedProtocol.Result seed = SeedProtocol.run(ratings, params, SeedProtocol.Config.seed(), ProgressListener.NONE);
        SeedMetrics sm = seed.metrics();
        System.out.printf(
                "SEED PROTOCOL: split %.2f s, training on 80%% %.2f s, scoring %d users %.2f s; evaluation without"
                        + " training %.2f s; peak heap %d MiB%n",
                seed.splitMillis() / 1e3,
                seed.trainMillis() / 1e3,
                sm.sampledUsers(),
                seed.scoreMillis() / 1e3,
                (seed.splitMillis() + seed.scoreMillis()) / 1e3,
                heap.peak() >> 20);
        System.out.printf(
                "  precision_10 %.4f, recall_10 %.4f, ndcg_10 %.4f over %d users (promotion score %.4f)%n",
                sm.precision(),
                sm.recall(),
                sm.ndcg(),
                sm.evaluatedUsers(),
                PromotionPolicy.seed().score(sm.asMap()));
        seed = null;

        heap.reset();
        FullRankingProtocol.Config config =
                FullRankingProtocol.Config.liang2018().withParallelism(threads);
        FullRankingProtocol.Report full = FullRankingProtocol.run(ratings, params, config, ProgressListener.NONE);
        System.out.printf(
                "FULL RANKING (Liang split, 10,000 held-out users): split %.2f s, training %.2f s, scoring 3 models"
                        + " %.2f s; peak heap %d MiB%n",
                full.splitMillis() / 1e3, full.trainMillis() / 1e3, full.scoreMillis() / 1e3, heap.peak() >> 20);
        print("item-kNN", full.itemKnn());
        print("Bayesian popularity", full.bayesianPopularity());
        print("TopPop", full.topPopularity());
        full = null;

        if (Arrays.asList(args).contains("--options")) {
            // The options beyond the seed, one at a time, on the same split (seed protocol and full ranking).
            ItemKnnParams[] variants = {
                params.withShrinkage(10),
                params.withMinCoRatings(5),
                params.withPositiveOnly(4f, ItemKnnParams.PositiveValue.ONE),
                params.withPositiveOnly(3.5f, ItemKnnParams.PositiveValue.RATING),
                params.withMinRatings(1).withKNeighbors(100).withShrinkage(10)
            };
            for (ItemKnnParams variant : variants) {
                SeedProtocol.Result vs =
                        SeedProtocol.run(ratings, variant, SeedProtocol.Config.seed(), ProgressListener.NONE);
                System.out.printf(
                        "OPTION %s: seed protocol training %.2f s, precision_10 %.4f recall_10 %.4f ndcg_10 %.4f%n",
                        describe(variant),
                        vs.trainMillis() / 1e3,
                        vs.metrics().precision(),
                        vs.metrics().recall(),
                        vs.metrics().ndcg());
                if (variant.positiveThreshold() > 0) {
                    // the full-ranking data are binarised positives already: a rating threshold has no meaning there
                    continue;
                }
                FullRankingProtocol.Report vf =
                        FullRankingProtocol.run(ratings, variant, config, ProgressListener.NONE);
                System.out.printf("  full ranking: training %.2f s%n", vf.trainMillis() / 1e3);
                print("item-kNN", vf.itemKnn());
            }
        }
        heap.stop();
        System.out.printf("peak RSS %s%n", peakRss());
    }

    private static void describe(Ratings ratings) {
        IdIndex movies = IdIndex.of(ratings.movieIds());
        IdIndex users = IdIndex.of(ratings.userIds());
        int[] movieCounts = movies.counts().clone();
        Arrays.sort(movieCounts);
        int atLeast50 = 0;
        for (int c : movieCounts) {
            if (c >= 50) {
                atLeast50++;
            }
        }
        int[] userCounts = users.counts().clone();
        Arrays.sort(userCounts);
        double pairs = 0;
        for (int c : userCounts) {
            pairs += (double) c * c;
        }
        int m = movieCounts.length;
        System.out.printf(
                "  %,d users (ratings per user: min %d, median %d, max %,d; sum of squares %.3g), %,d movies"
                        + " (top %,d, rank 1,000 %,d, rank 10,000 %,d ratings; %,d with >= 50)%n",
                userCounts.length,
                userCounts[0],
                userCounts[userCounts.length / 2],
                userCounts[userCounts.length - 1],
                pairs,
                m,
                movieCounts[m - 1],
                movieCounts[Math.max(0, m - 1000)],
                movieCounts[Math.max(0, m - 10_000)],
                atLeast50);
    }

    private static String describe(ItemKnnParams p) {
        return String.format(
                "k=%d min_ratings=%d shrinkage=%.0f min_co=%d positive>=%.1f as %s",
                p.kNeighbors(),
                p.minRatings(),
                p.shrinkage(),
                p.minCoRatings(),
                p.positiveThreshold(),
                p.positiveValue());
    }

    private static void print(String name, FullRankingMetrics m) {
        System.out.printf(
                "  %-20s Recall@20 %.4f (truncated %.4f), Recall@50 %.4f, NDCG@100 %.4f, coverage@20 %.4f"
                        + " (%,d users, %,d movies)%n",
                name,
                m.recall20(),
                m.truncatedRecall20(),
                m.truncatedRecall50(),
                m.ndcg100(),
                m.coverage20(),
                m.users(),
                m.catalogueSize());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS figure
        }
        return "unknown";
    }

    /** Samples the heap in use every 5 ms on a daemon thread and keeps the maximum since the last reset. */
    private static final class HeapSampler implements Runnable {
        private volatile long peak;
        private volatile boolean running = true;

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            Thread thread = new Thread(sampler, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
            return sampler;
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > peak) {
                    peak = used;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void reset() {
            peak = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        long peak() {
            return peak;
        }

        void stop() {
            running = false;
        }
    }
}
