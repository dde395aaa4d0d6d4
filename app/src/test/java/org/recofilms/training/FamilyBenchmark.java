package org.recofilms.training;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * each family's defaults, item-kNN with {@code minRatings} 1 and 100 neighbours, iALS with 10 iterations (the issue's
 * target setting). Each run prints its wall and process CPU time (the machine is shared: CPU time is the steadier
 * figure) and each family its peak memory while training ({@link MemoryPeak}).
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
            PhaseTimes phases = new PhaseTimes();
            Supplier<Object> trainer = switch (family) {
                case "itemknn" ->
                    () -> new ItemKnnTrainer(
                                    ItemKnnParams.seed().withMinRatings(1).withKNeighbors(100))
                            .train(train);
                case "rp3beta" -> () -> new Rp3BetaTrainer(Rp3BetaParams.defaults()).train(train);
                case "ease" -> () -> new EaseTrainer(EaseParams.defaults()).train(train, phases);
                case "ials" -> () -> new IalsTrainer(IalsParams.defaults().withIterations(10)).train(train);
                default -> throw new IllegalArgumentException("unknown family " + family);
            };
            double[] seconds = new double[runs];
            double[] cpuSeconds = new double[runs];
            Object model = null;
            MemoryPeak peak = MemoryPeak.start();
            for (int run = 0; run < runs; run++) {
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                model = trainer.get();
                seconds[run] = (System.nanoTime() - t0) / 1e9;
                cpuSeconds[run] = (processCpuNanos() - cpu0) / 1e9;
            }
            peak.stop();
            if (!phases.seconds.isEmpty()) {
                System.out.printf("%-8s phases of the last run (s): %s%n", family, phases.seconds);
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            Scorer scorer = model instanceof FactorModel f
                    ? Scorers.ials(f, split.catalogue())
                    : Scorers.itemKnn((NeighborLists) model, split.catalogue());
            FullRankingMetrics m = FullRankingProtocol.evaluate(split, scorer, 0, ProgressListener.NONE);
            List<String> runTimes = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                runTimes.add(String.format("%.2f (CPU %.2f)", seconds[run], cpuSeconds[run]));
            }
            double[] sortedCpu = cpuSeconds.clone();
            Arrays.sort(sortedCpu);
            System.out.printf(
                    "%-8s train median %7.2f s, CPU median %7.2f s (runs %s; load average %.1f); %s%n"
                            + "         peak while training: RSS %,d MiB (VmHWM), heap used + JavaCPP native %,d MiB"
                            + " (heap %,d, native %,d); NDCG@100 %.4f, Recall@20 %.4f, coverage@20 %.3f%n",
                    family,
                    sorted[runs / 2],
                    sortedCpu[runs / 2],
                    String.join(", ", runTimes),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    model,
                    peak.rssMiB(),
                    peak.heapPlusNativeMiB(),
                    peak.heapAtPeakMiB(),
                    peak.nativeAtPeakMiB(),
                    m.ndcg100(),
                    m.truncatedRecall20(),
                    m.coverage20());
        }
        FullRankingMetrics top =
                FullRankingProtocol.evaluate(split, Scorers.fixed(split.positiveCounts()), 0, ProgressListener.NONE);
        System.out.printf("toppop   NDCG@100 %.4f, Recall@20 %.4f%n", top.ndcg100(), top.truncatedRecall20());
    }

    /** Wall seconds from each phase's first report to its last (done == total), of the last run. */
    static final class PhaseTimes implements ProgressListener {
        private final java.util.Map<TrainingPhase, Long> started = new java.util.EnumMap<>(TrainingPhase.class);
        final java.util.Map<TrainingPhase, String> seconds = new java.util.EnumMap<>(TrainingPhase.class);

        @Override
        public void onProgress(TrainingPhase phase, long done, long total) {
            long now = System.nanoTime();
            if (done == 0) {
                started.put(phase, now);
            } else if (done == total && started.containsKey(phase)) {
                seconds.put(phase, String.format("%.2f", (now - started.get(phase)) / 1e9));
            }
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Peak memory while a family trains: the process's peak resident set (VmHWM, reset through
     * {@code /proc/self/clear_refs} at the start, so it counts from the training's start but includes whatever the
     * heap already held), and the sampled maximum (every 20 ms) of heap used plus JavaCPP's native bytes (EASE's
     * OpenBLAS matrix lives there).
     */
    static final class MemoryPeak {
        private final Thread sampler;
        private volatile boolean running = true;
        private long heapPlusNative;
        private long heapAtPeak;
        private long nativeAtPeak;

        private MemoryPeak() {
            sampler = new Thread(this::sample, "memory-peak");
            sampler.setDaemon(true);
        }

        static MemoryPeak start() {
            System.gc();
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                System.out.println("(VmHWM not reset: " + e + ")");
            }
            MemoryPeak peak = new MemoryPeak();
            peak.sampler.start();
            return peak;
        }

        private void sample() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                long heap = memory.getHeapMemoryUsage().getUsed();
                long nativeBytes = nativeBytes();
                synchronized (this) {
                    if (heap + nativeBytes > heapPlusNative) {
                        heapPlusNative = heap + nativeBytes;
                        heapAtPeak = heap;
                        nativeAtPeak = nativeBytes;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static long nativeBytes() {
            try {
                return org.bytedeco.javacpp.Pointer.totalBytes();
            } catch (LinkageError e) {
                return 0;
            }
        }

        void stop() {
            running = false;
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long rssMiB() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }

        synchronized long heapPlusNativeMiB() {
            return heapPlusNative >> 20;
        }

        synchronized long heapAtPeakMiB() {
            return heapAtPeak >> 20;
        }

        synchronized long nativeAtPeakMiB() {
            return nativeAtPeak >> 20;
        }
    }
}
