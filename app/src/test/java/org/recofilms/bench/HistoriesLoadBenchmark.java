package org.recofilms.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.recofilms.serving.HistoryService;
import org.recofilms.serving.UserHistories;
import org.recofilms.snapshot.RatingsSnapshot;
import org.recofilms.snapshot.SnapshotRatings;

/**
 * How fast the api instance's user histories load at ML-20M scale, the two ways the issue names: the binary COPY
 * of raw.current_ratings in user order that {@link HistoryService} runs, and the latest Parquet training snapshot
 * read and built into the same arrays. Each is run RUNS times in one JVM (the first includes JIT warm-up); the
 * heap after a full GC with the arrays held is printed too. Asserts nothing.
 *
 * <p>Arguments: JDBC_URL USER PARQUET_FILE [RUNS]
 */
public final class HistoriesLoadBenchmark {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        Path parquet = Path.of(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            UserHistories.Base copied;
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                c.setAutoCommit(false);
                UserHistories.Builder b = new UserHistories.Builder(20_100_000);
                RatingsSnapshot.stream(c, HistoryService.LOAD_QUERY, (u, m, r, ts) -> b.add(u, m, r));
                c.commit();
                copied = b.build();
            }
            double copySeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            SnapshotRatings rows = RatingsSnapshot.read(parquet);
            UserHistories.Builder b = new UserHistories.Builder(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                b.add(rows.userId()[i], rows.movieId()[i], rows.rating()[i]);
            }
            UserHistories.Base fromParquet = b.build();
            double parquetSeconds = (System.nanoTime() - t1) / 1e9;
            rows = null;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            System.out.printf(
                    "run %d: COPY %d ratings of %d users in %.2f s (%.0f rows/s); Parquet %d ratings in %.2f s (%.0f"
                            + " rows/s); arrays %d MB (%.2f B a rating); heap after GC with both held %d MB%n",
                    run,
                    copied.ratings(),
                    copied.users(),
                    copySeconds,
                    copied.ratings() / copySeconds,
                    fromParquet.ratings(),
                    parquetSeconds,
                    fromParquet.ratings() / parquetSeconds,
                    copied.bytes() >> 20,
                    copied.bytes() / (double) copied.ratings(),
                    heap >> 20);
        }
    }
}
