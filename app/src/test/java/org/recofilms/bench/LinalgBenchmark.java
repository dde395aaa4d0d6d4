package org.recofilms.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.recofilms.training.GramInverter;

/**
 * Dense linear algebra benchmark for EASE: inverts a generated SPD Gram matrix ({@code X^T X + l2 I} of a sparse
 * binary user x item matrix with a long-tailed item popularity, 4 users per item, 60 items per user on average,
 * l2 = 500) with each {@link GramInverter}, after an untimed warm-up at n = 400, RUNS times per size, and prints each run, the medians, the ratios to
 * the fastest, the residual {@code max |G G^-1 - I|} over 8 columns, and which netlib backend was loaded. Each run goes
 * through {@link GramInverter#allocate} as EASE does (native memory for OpenBLAS) and prints the process CPU time of
 * the inverse beside its wall time, and the load average, since this machine is shared. Sizes
 * beyond the measured ones are extrapolated by {@code n^3} from the largest measured size, and printed as such.
 * Run by scripts/bench-linalg.sh. Asserts nothing.
 *
 * <p>Arguments: [SIZES (comma separated, default 2000,5000)] [RUNS (default 3)] [IMPLEMENTATIONS (comma separated
 * among openblas,lapack,ejml,java; default all)]
 */
public final class LinalgBenchmark {

    public static void main(String[] args) {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "2000,5000").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> wanted = List.of((args.length > 2 ? args[2] : "openblas,lapack,ejml,java").split(","));
        System.out.printf(
                "netlib: LAPACK %s, BLAS %s; %d processors, Java %s%n",
                LAPACK.getInstance().getClass().getName(),
                BLAS.getInstance().getClass().getName(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        List<GramInverter> inverters = new ArrayList<>();
        if (wanted.contains("openblas")) {
            GramInverter.openBlas()
                    .ifPresentOrElse(inverters::add, () -> System.out.println("openblas: natives not available here"));
        }
        if (wanted.contains("lapack")) {
            inverters.add(new GramInverter.Lapack());
        }
        if (wanted.contains("ejml")) {
            inverters.add(new GramInverter.Ejml());
        }
        if (wanted.contains("java")) {
            inverters.add(new GramInverter.JavaCholesky());
        }
        System.out.println("GramInverter.best() here: " + GramInverter.best().name());
        double[] warmUp = gram(400, 3);
        for (GramInverter inverter : inverters) {
            for (int k = 0; k < 3; k++) {
                inverter.invertInPlace(warmUp.clone(), 400); // JIT warm-up, not timed
            }
        }
        double[] largestMedians = new double[inverters.size()];
        int largest = 0;
        for (int n : sizes) {
            double[] gram = gram(n, 17);
            double[] medians = new double[inverters.size()];
            for (int v = 0; v < inverters.size(); v++) {
                GramInverter inverter = inverters.get(v);
                double[] seconds = new double[runs];
                double residual = 0;
                for (int run = 0; run < runs; run++) {
                    // through allocate(), as EaseTrainer does: native memory for OpenBLAS, a heap array otherwise
                    double[] a = new double[n * n];
                    long t0;
                    long cpu0;
                    try (GramInverter.Matrix m = inverter.allocate(n)) {
                        double[] row = new double[n];
                        for (int i = 0; i < n; i++) {
                            System.arraycopy(gram, i * n, row, 0, n);
                            m.setRow(i, row);
                        }
                        cpu0 = processCpuNanos();
                        t0 = System.nanoTime();
                        m.invert();
                        seconds[run] = (System.nanoTime() - t0) / 1e9;
                        cpu0 = processCpuNanos() - cpu0;
                        for (int i = 0; i < n; i++) {
                            m.getRow(i, row);
                            System.arraycopy(row, 0, a, i * n, n);
                        }
                    }
                    residual = residual(gram, a, n);
                    System.out.printf(
                            "n=%d %-55s run %d: %8.2f s (process CPU %.2f s, load average %.1f)%n",
                            n, inverter.name(), run + 1, seconds[run], cpu0 / 1e9, loadAverage());
                }
                Arrays.sort(seconds);
                medians[v] = seconds[runs / 2];
                System.out.printf(
                        "n=%d %-55s median %8.2f s, residual %.1e%n", n, inverter.name(), medians[v], residual);
            }
            double fastest = Arrays.stream(medians).min().orElse(1);
            for (int v = 0; v < inverters.size(); v++) {
                System.out.printf(
                        "n=%d %-55s %6.2fx the fastest%n", n, inverters.get(v).name(), medians[v] / fastest);
            }
            if (n > largest) {
                largest = n;
                largestMedians = medians;
            }
        }
        for (int target : new int[] {13_800, 20_000}) {
            for (int v = 0; v < inverters.size(); v++) {
                System.out.printf(
                        "n=%d %-55s %8.0f s EXTRAPOLATED by n^3 from n=%d (not measured)%n",
                        target,
                        inverters.get(v).name(),
                        largestMedians[v] * Math.pow((double) target / largest, 3),
                        largest);
            }
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** {@code X^T X + 500 I} for a random sparse binary X with 4n users, row-major. */
    static double[] gram(int n, long randomSeed) {
        SplittableRandom rng = new SplittableRandom(randomSeed);
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.exp(-Math.pow(i / Math.max(1.0, 0.004 * n), 0.43));
            cumulative[i] = total;
        }
        double[] g = new double[n * n];
        int[] items = new int[n];
        boolean[] taken = new boolean[n];
        for (int u = 0; u < 4 * n; u++) {
            int count = Math.min(n / 2, 10 + (int) (50 * -Math.log(1 - rng.nextDouble())));
            int m = 0;
            while (m < count) {
                int i = Arrays.binarySearch(cumulative, rng.nextDouble() * total);
                i = i >= 0 ? i : Math.min(n - 1, -i - 1);
                if (!taken[i]) {
                    taken[i] = true;
                    items[m++] = i;
                }
            }
            for (int a = 0; a < m; a++) {
                int base = items[a] * n;
                for (int b = 0; b < m; b++) {
                    g[base + items[b]] += 1;
                }
                taken[items[a]] = false;
            }
        }
        for (int i = 0; i < n; i++) {
            g[i * n + i] += 500;
        }
        return g;
    }

    /** {@code max |G A - I|} over 8 evenly spaced columns of A. */
    static double residual(double[] g, double[] inverse, int n) {
        double worst = 0;
        for (int c = 0; c < n; c += Math.max(1, n / 8)) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += g[i * n + k] * inverse[k * n + c];
                }
                worst = Math.max(worst, Math.abs(s - (i == c ? 1 : 0)));
            }
        }
        return worst;
    }
}
