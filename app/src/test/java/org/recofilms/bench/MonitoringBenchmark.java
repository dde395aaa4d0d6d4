package org.recofilms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.recofilms.launcher.LocalPostgres;

/**
 * Monitoring benchmark: a real PostgreSQL (fsync on) loaded by the packaged app's {@code ingest}
 * command with the ML-20M-scale dataset, then the app's {@code monitor --backfill} RUNS times and
 * {@code monitor --day=2015-03-30} RUNS times. Prints each phase, the job's time, the wall time, the
 * app's peak RSS and the peak RSS of the busiest PostgreSQL backend (where the work happens), then
 * the medians. Run by scripts/bench-monitoring.sh. Asserts nothing.
 *
 * <p>Arguments: DATASET_DIR [RUNS]
 */
public final class MonitoringBenchmark {

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path work = Files.createTempDirectory("reco-bench-monitoring");
        Path pgData = work.resolve("postgres");
        try (LocalPostgres postgres = LocalPostgres.start(pgData, 0, false, true)) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            env.put("RECO_DATA_DIR", work.resolve("data").toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
            long postmaster = Long.parseLong(
                    Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
            Run ingest = app(env, postmaster, "ingest", "--source=" + dataset);
            System.out.printf("ingested the dataset in %.1f s; %s%n", ingest.wall, describe(postgres));
            List<Double> backfills = new ArrayList<>();
            List<Double> days = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                backfills.add(report("backfill", run, app(env, postmaster, "monitor", "--backfill")));
            }
            for (int run = 1; run <= runs; run++) {
                days.add(report("day 2015-03-30", run, app(env, postmaster, "monitor", "--day=2015-03-30")));
            }
            System.out.printf("latest PSI: %s%n", latestPsi(postgres));
            System.out.printf(
                    "median over %d run(s): backfill %.1f s, daily run %.1f s%n",
                    runs, median(backfills), median(days));
        }
    }

    private record Run(String output, double wall, long appPeakMb, long backendPeakMb) {}

    private static double report(String what, int run, Run r) throws IOException {
        JsonNode summary =
                new ObjectMapper().readTree(r.output.substring(r.output.indexOf("{\n"), r.output.lastIndexOf('}') + 1));
        r.output
                .lines()
                .filter(l -> l.contains("monitoring ") && l.contains(" in ") && !l.contains("periods,"))
                .forEach(l -> System.out.println("  " + l.substring(l.indexOf("monitoring "))));
        double seconds = summary.get("durationSeconds").asDouble();
        System.out.printf(
                "%s run %d: %d periods, %d metrics, job %.1f s, %.1f s wall (app start included),"
                        + " app peak RSS %d MB, PostgreSQL backend peak RSS %d MB%n",
                what,
                run,
                summary.get("periods").asInt(),
                summary.get("metrics").asInt(),
                seconds,
                r.wall,
                r.appPeakMb,
                r.backendPeakMb);
        return seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static String describe(LocalPostgres postgres) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), to_timestamp(min(\"timestamp\"))::date,"
                        + " to_timestamp(max(\"timestamp\"))::date FROM raw.raw_ratings")) {
            rs.next();
            return rs.getLong(1) + " ratings from " + rs.getString(2) + " to " + rs.getString(3);
        }
    }

    private static String latestPsi(LocalPostgres postgres) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c =
                        DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT ON (metric_name) metric_name, period_value,"
                        + " round(metric_value::numeric, 5) FROM raw.monitoring_metrics"
                        + " WHERE metric_name LIKE 'psi_%' AND metric_value IS NOT NULL"
                        + " ORDER BY metric_name, period_value DESC")) {
            while (rs.next()) {
                out.append(rs.getString(1))
                        .append(' ')
                        .append(rs.getString(2))
                        .append('=')
                        .append(rs.getString(3))
                        .append("  ");
            }
        }
        return out.toString().trim();
    }

    private static Run app(Map<String, String> env, long postmaster, String... command) throws Exception {
        AtomicLong[] backendKb = new AtomicLong[1];
        AppCommand.Result r =
                AppCommand.run(env, process -> backendKb[0] = followBackends(postmaster, process), command);
        return new Run(r.output(), r.wall(), r.peakMb(), backendKb[0].get() / 1024);
    }

    /** The highest VmHWM of any child of the postmaster while {@code app} runs, sampled every 200 ms. */
    private static AtomicLong followBackends(long postmaster, Process app) {
        AtomicLong peakKb = new AtomicLong();
        Thread sampler = new Thread(
                () -> {
                    while (app.isAlive()) {
                        ProcessHandle.of(postmaster)
                                .ifPresent(pm -> pm.children()
                                        .forEach(child -> peakKb.accumulateAndGet(hwmKb(child.pid()), Math::max)));
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "backend-rss");
        sampler.setDaemon(true);
        sampler.start();
        return peakKb;
    }

    private static long hwmKb(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
