package org.recofilms.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.parquet.io.MessageColumnIO;
import org.recofilms.launcher.LocalPostgres;
import org.recofilms.snapshot.Codec;
import org.recofilms.snapshot.RatingsSnapshot;
import org.recofilms.snapshot.SnapshotInfo;
import org.recofilms.snapshot.SnapshotProgress;
import org.slf4j.LoggerFactory;

/**
 * Training snapshot export against PostgreSQL's own binary COPY (issue 16: the export within 2x of {@code psql}'s
 * {@code COPY ... TO} of the same rows, measured in the same run). The generated dataset is ingested once by the
 * packaged app's {@code ingest} command into a database kept in {@code KEEP_DIR/export-postgres} (not the serving
 * benchmark's); then, RUNS times each and alternating, (a) {@code psql} runs exactly the COPY statement the export
 * runs ({@link RatingsSnapshot#copyStatement} of {@link RatingsSnapshot#DEFAULT_QUERY}: the same SELECT, the same
 * columns, the same binary format) into /dev/null, and (b) {@link RatingsSnapshot#export} (the call the training
 * pipeline makes) writes the Parquet snapshot from a fresh connection. One untimed round of each warms the page
 * cache and the JIT. Prints each run, the medians, their ratio, rows/s and the file size. Asserts nothing; run by
 * scripts/bench-export.sh.
 *
 * <p>Arguments: DATASET_DIR KEEP_DIR [RUNS, default 5] [CODEC, default zstd]
 */
public final class ExportBenchmark {

    /**
     * No Quarkus configures logging in this JVM, and jboss-logmanager's root logger then lets DEBUG through:
     * parquet-mr wraps every record in a logging consumer when its debug level is on, which slows the writer down
     * by a factor of ten or more. The app runs at INFO; so does this (held here so the setting is not collected).
     */
    private static final Logger ROOT = Logger.getLogger("");

    public static void main(String[] args) throws Exception {
        ROOT.setLevel(Level.INFO);
        if (LoggerFactory.getLogger(MessageColumnIO.class).isDebugEnabled()) {
            throw new IllegalStateException("parquet-mr's debug logging is on: the export would not be measured");
        }
        Path dataset = Path.of(args[0]).toAbsolutePath();
        Path keep = Path.of(args[1]).toAbsolutePath();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Codec codec = Codec.valueOf((args.length > 3 ? args[3] : "zstd").toUpperCase());
        Path work = Files.createTempDirectory("reco-bench-export");
        Path target = work.resolve("training_set.parquet");
        String copy = RatingsSnapshot.copyStatement(RatingsSnapshot.DEFAULT_QUERY);
        try (LocalPostgres postgres = LocalPostgres.start(keep.resolve("export-postgres"), 0, true, false)) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            env.put("RECO_DATA_DIR", work.resolve("data").toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
            long rows = ratings(postgres);
            if (rows == 0) {
                AppCommand.Result ingest = AppCommand.run(env, "ingest", "--source=" + dataset);
                System.out.printf("ingested the dataset in %.1f s%n", ingest.wall());
                rows = ratings(postgres);
            } else {
                System.out.println("reusing the ingested dataset in " + keep.resolve("export-postgres"));
            }
            System.out.printf("%,d rows in raw.current_ratings; the COPY both sides run:%n  %s%n", rows, copy);
            List<Double> psql = new ArrayList<>();
            List<Double> export = new ArrayList<>();
            List<Double> exportCpu = new ArrayList<>();
            List<Double> tails = new ArrayList<>();
            SnapshotInfo info = null;
            for (int run = 0; run <= runs; run++) {
                String label = run == 0 ? "warm-up" : "run " + run;
                double p = psql(postgres, copy);
                long cpu = cpuNanos();
                long t0 = System.nanoTime();
                // the export's last report comes when the COPY has ended, before the file is closed and synced
                long[] copyEnded = {0};
                SnapshotProgress lastRow = new SnapshotProgress() {
                    @Override
                    public void onProgress(long rows, double rate) {
                        copyEnded[0] = System.nanoTime();
                    }

                    @Override
                    public long intervalMillis() {
                        return 3_600_000;
                    }
                };
                try (Connection c = connect(postgres)) {
                    info = RatingsSnapshot.export(c, RatingsSnapshot.DEFAULT_QUERY, target, codec, lastRow);
                }
                double e = (System.nanoTime() - t0) / 1e9;
                double tail = (System.nanoTime() - copyEnded[0]) / 1e9;
                double eCpu = (cpuNanos() - cpu) / 1e9;
                if (info.rows() != rows) {
                    throw new IllegalStateException("the export wrote " + info.rows() + " rows, not " + rows);
                }
                System.out.printf(
                        "%-8s psql COPY %.2f s | export %.2f s (JVM cpu %.2f s; after the last row %.2f s), %,d bytes,"
                                + " ratio %.2f%n",
                        label, p, e, eCpu, tail, info.bytes(), e / p);
                if (run > 0) {
                    psql.add(p);
                    export.add(e);
                    exportCpu.add(eCpu);
                    tails.add(tail);
                }
            }
            double mp = median(psql);
            double me = median(export);
            System.out.printf(
                    "medians over %d runs: psql binary COPY %.2f s (%,.0f rows/s), export %.2f s (%,.0f rows/s,"
                            + " JVM cpu %.2f s, after the last row %.2f s), ratio %.2f (target at most 2); Parquet %s"
                            + " %,d bytes (%.1f MB)%n",
                    runs,
                    mp,
                    rows / mp,
                    me,
                    rows / me,
                    median(exportCpu),
                    median(tails),
                    me / mp,
                    codec,
                    info.bytes(),
                    info.bytes() / 1e6);
        } finally {
            Files.deleteIfExists(target);
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    /** psql's own binary COPY of the same statement, its output to /dev/null; wall seconds. */
    private static double psql(LocalPostgres postgres, String copy) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        "psql",
                        "-X",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(postgres.port()),
                        "-U",
                        LocalPostgres.USER,
                        "-d",
                        LocalPostgres.DATABASE,
                        "-c",
                        copy)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PGPASSWORD", LocalPostgres.PASSWORD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("psql failed (exit " + exit + ")");
        }
        return seconds;
    }

    private static long ratings(LocalPostgres postgres) {
        try (Connection c = connect(postgres);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM raw.current_ratings")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // not migrated yet
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
