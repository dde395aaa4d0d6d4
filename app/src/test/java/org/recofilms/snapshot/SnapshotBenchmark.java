package org.recofilms.snapshot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes and reads an ML-20M-sized snapshot (20,000,263 synthetic ratings, built in memory, no database) with
 * each codec and prints the median write and read times and the file size.
 *
 * <p>Run with {@code java -Xmx3g -cp <test and runtime classpath> org.recofilms.snapshot.SnapshotBenchmark
 * [repeats] [rows]}; repeats default to 5 after one warm-up round. The files go to a temporary directory that is
 * removed at the end.
 */
public final class SnapshotBenchmark {

    /** Rows of MovieLens 20M. */
    static final int ML_20M_ROWS = 20_000_263;

    private SnapshotBenchmark() {}

    public static void main(String[] args) throws IOException {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : ML_20M_ROWS;
        long t0 = System.nanoTime();
        SnapshotRatings ratings = synthetic(rows, 42);
        System.out.printf("generated %,d ratings in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
        Path dir = Files.createTempDirectory("snapshot-bench");
        try {
            for (Codec codec : Codec.values()) {
                Path file = dir.resolve("training_set." + codec.name().toLowerCase() + ".parquet");
                double[] writes = new double[repeats];
                double[] reads = new double[repeats];
                double[] writeCpu = new double[repeats];
                double[] readCpu = new double[repeats];
                SnapshotInfo info = null;
                for (int round = -1; round < repeats; round++) {
                    long start = System.nanoTime();
                    long cpu = cpuNanos();
                    SnapshotInfo written = RatingsSnapshot.write(file, ratings, codec);
                    double write = (System.nanoTime() - start) / 1e9;
                    double wCpu = (cpuNanos() - cpu) / 1e9;
                    start = System.nanoTime();
                    cpu = cpuNanos();
                    SnapshotRatings back = RatingsSnapshot.read(file);
                    double read = (System.nanoTime() - start) / 1e9;
                    double rCpu = (cpuNanos() - cpu) / 1e9;
                    if (back.size() != rows || back.userId()[rows - 1] != ratings.userId()[rows - 1]) {
                        throw new IllegalStateException("read back different rows");
                    }
                    if (info != null && !info.md5().equals(written.md5())) {
                        throw new IllegalStateException("equal input gave different bytes");
                    }
                    info = written;
                    if (round >= 0) {
                        writes[round] = write;
                        reads[round] = read;
                        writeCpu[round] = wCpu;
                        readCpu[round] = rCpu;
                    }
                    System.out.printf(
                            "  %s round %d: write %.2f s (cpu %.2f s), read %.2f s (cpu %.2f s)%n",
                            codec, round, write, wCpu, read, rCpu);
                }
                if (!RatingsSnapshot.read(file).equals(ratings)) {
                    throw new IllegalStateException(codec + ": the snapshot does not read back equal");
                }
                System.out.printf(
                        "%-6s rows %,d  size %,d bytes (%.1f MB)  median write %.2f s (cpu %.2f s)"
                                + "  median read %.2f s (cpu %.2f s)  md5 %s%n",
                        codec,
                        info.rows(),
                        info.bytes(),
                        info.bytes() / 1e6,
                        median(writes),
                        median(writeCpu),
                        median(reads),
                        median(readCpu),
                        info.md5());
            }
            artifacts(dir, repeats);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The model artifacts at ML-20M size: 27,278 movies with 20 neighbours each, and their popularity. */
    private static void artifacts(Path dir, int repeats) {
        int movies = 27_278;
        int k = 20;
        SplittableRandom random = new SplittableRandom(7);
        int[] movieIds = new int[movies];
        int[] offsets = new int[movies + 1];
        for (int i = 0; i < movies; i++) {
            movieIds[i] = i == 0 ? 1 : movieIds[i - 1] + 1 + random.nextInt(9);
            offsets[i + 1] = offsets[i] + k;
        }
        int[] neighborIds = new int[movies * k];
        float[] similarities = new float[movies * k];
        for (int i = 0; i < movies; i++) {
            float similarity = 1;
            for (int p = offsets[i]; p < offsets[i + 1]; p++) {
                neighborIds[p] = movieIds[random.nextInt(movies)];
                similarity *= (float) (0.9 + 0.1 * random.nextDouble());
                similarities[p] = similarity;
            }
        }
        NeighborArrays neighbors = new NeighborArrays(movieIds, offsets, neighborIds, similarities);
        PopularityArrays popularity =
                new PopularityArrays(movieIds, new int[movies], new float[movies], new double[movies]);
        for (int i = 0; i < movies; i++) {
            popularity.nRatings()[i] = 1 + random.nextInt(60_000);
            popularity.meanRatings()[i] = (float) (0.5 + 4.5 * random.nextDouble());
            popularity.bayesScores()[i] = 3 + random.nextDouble();
        }
        Path neighborFile = dir.resolve(ModelArtifacts.NEIGHBORS_FILE);
        Path popularityFile = dir.resolve(ModelArtifacts.POPULARITY_FILE);
        double[] writes = new double[repeats];
        double[] neighborReads = new double[repeats];
        double[] popularityReads = new double[repeats];
        SnapshotInfo neighborInfo = null;
        SnapshotInfo popularityInfo = null;
        for (int round = -1; round < repeats; round++) {
            long start = System.nanoTime();
            neighborInfo = ModelArtifacts.writeNeighbors(neighborFile, neighbors);
            popularityInfo = ModelArtifacts.writePopularity(popularityFile, popularity);
            double write = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            NeighborArrays backNeighbors = ModelArtifacts.readNeighbors(neighborFile);
            double neighborRead = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            PopularityArrays backPopularity = ModelArtifacts.readPopularity(popularityFile);
            double popularityRead = (System.nanoTime() - start) / 1e9;
            if (!backNeighbors.equals(neighbors) || !backPopularity.equals(popularity)) {
                throw new IllegalStateException("the artifacts do not read back equal");
            }
            if (round >= 0) {
                writes[round] = write;
                neighborReads[round] = neighborRead;
                popularityReads[round] = popularityRead;
            }
        }
        System.out.printf(
                "artifacts: %s %,d rows %,d bytes, %s %,d rows %,d bytes; median write (both) %.3f s,"
                        + " median read %s %.3f s, %s %.3f s%n",
                ModelArtifacts.NEIGHBORS_FILE,
                neighborInfo.rows(),
                neighborInfo.bytes(),
                ModelArtifacts.POPULARITY_FILE,
                popularityInfo.rows(),
                popularityInfo.bytes(),
                median(writes),
                ModelArtifacts.NEIGHBORS_FILE,
                median(neighborReads),
                ModelArtifacts.POPULARITY_FILE,
                median(popularityReads));
    }

    /**
     * MovieLens-shaped ratings: rows grouped by user and sorted by movie within a user (as ratings.csv is),
     * skewed user activity and movie popularity, half-star ratings, timestamps rising within a user.
     */
    static SnapshotRatings synthetic(int rows, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        int users = Math.max(1, (int) (rows / 144.4)); // ML-20M: 138,493 users
        int movies = 26_744;
        int[] movieIds = new int[movies];
        for (int m = 0, id = 1; m < movies; m++) {
            movieIds[m] = id;
            id += 1 + (m > 10_000 ? random.nextInt(9) : 0); // ids become sparse, up to about 131k
        }
        int[] userId = new int[rows];
        int[] movieId = new int[rows];
        float[] rating = new float[rows];
        long[] timestamp = new long[rows];
        int row = 0;
        int[] picks = new int[movies];
        for (int u = 1; u <= users && row < rows; u++) {
            int remainingUsers = users - u + 1;
            int mean = (rows - row) / remainingUsers;
            int count = u == users
                    ? rows - row
                    : (int) Math.min(movies / 2, Math.max(20, mean * -Math.log(random.nextDouble())));
            count = Math.min(count, rows - row);
            int n = 0;
            while (n < count) {
                // popularity skew: the square of a uniform favours low movie indices
                double x = random.nextDouble();
                picks[n++] = (int) (x * x * movies);
            }
            Arrays.sort(picks, 0, n);
            int distinct = 0;
            for (int k = 0; k < n; k++) {
                if (k == 0 || picks[k] != picks[k - 1]) {
                    picks[distinct++] = picks[k];
                }
            }
            long time = 789_652_009L + random.nextLong(630_000_000L);
            for (int k = 0; k < distinct && row < rows; k++) {
                userId[row] = u;
                movieId[row] = movieIds[picks[k]];
                rating[row] = (1 + random.nextInt(10)) / 2.0f;
                time += random.nextInt(400);
                timestamp[row] = time;
                row++;
            }
        }
        // users that ran short of distinct movies leave a tail: fill it with one more user
        for (int next = users + 1; row < rows; next++) {
            for (int m = 0; m < movies && row < rows; m++) {
                userId[row] = next;
                movieId[row] = movieIds[m];
                rating[row] = (1 + random.nextInt(10)) / 2.0f;
                timestamp[row] = 1_400_000_000L + m;
                row++;
            }
        }
        return new SnapshotRatings(userId, movieId, rating, timestamp);
    }

    /** CPU time of the whole process (all threads, GC included): steadier than wall time on a shared machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
