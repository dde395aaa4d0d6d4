package org.recofilms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.recofilms.launcher.LocalPostgres;

/**
 * Ingestion benchmark: a real PostgreSQL (durable: fsync, synchronous_commit and full_page_writes
 * on, as the launcher runs it), then the packaged app's {@code ingest} command on a
 * MovieLens-format directory, timed from the outside while the app's peak RSS is read from /proc
 * (VmHWM). Run by scripts/bench-ingestion.sh, which generates the ML-20M-scale dataset once.
 * Prints its figures; asserts nothing.
 *
 * <p>Arguments: DATASET_DIR [RUNS] [--compare-fsync-off]. With {@code --compare-fsync-off} each
 * run loads the data twice, into a durable server and into one with those settings off, and the
 * medians of both and their ratio are printed: what durability costs.
 */
public final class IngestionBenchmark {

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean compare = List.of(args).contains("--compare-fsync-off");
        List<Boolean> modes = compare ? List.of(true, false) : List.of(true);
        Path work = Files.createTempDirectory("reco-bench-ingestion");
        Map<Boolean, List<Double>> walls = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (boolean durable : modes) {
                String label = run + (durable ? " (fsync on)" : " (fsync off)");
                walls.computeIfAbsent(durable, d -> new ArrayList<>())
                        .add(load(dataset, work.resolve("run-" + run + (durable ? "-on" : "-off")), durable, label));
            }
        }
        Map<Boolean, Double> medians = new LinkedHashMap<>();
        walls.forEach((durable, times) -> {
            times.sort(Double::compare);
            double median = times.get(times.size() / 2);
            medians.put(durable, median);
            System.out.printf(
                    "median wall time over %d run(s), fsync %s: %.1f s (min %.1f, max %.1f)%n",
                    runs, durable ? "on" : "off", median, times.get(0), times.get(times.size() - 1));
        });
        if (compare) {
            System.out.printf(
                    "fsync on / fsync off: %.2f (median wall times)%n", medians.get(true) / medians.get(false));
        }
    }

    /** One ingestion into a fresh database (a second load of the same files is a no-op): its wall time. */
    private static double load(Path dataset, Path work, boolean durable, String label) throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), 0, false, durable)) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            env.put("RECO_DATA_DIR", work.resolve("data").toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
            List<String> cmd = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g",
                    "-Dquarkus.log.category.\"org.recofilms.ingestion.StagingTables\".level=DEBUG",
                    "-jar",
                    "target/quarkus-app/quarkus-run.jar",
                    "ingest",
                    "--source=" + dataset);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process app = pb.start();
            PeakRss rss = PeakRss.follow(app.pid());
            String output = new String(app.getInputStream().readAllBytes());
            int exit = app.waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            if (exit != 0) {
                System.out.println(output);
                throw new IllegalStateException("ingestion failed (exit " + exit + ")");
            }
            output.lines()
                    .filter(l -> l.contains("index ") && l.contains(" built in "))
                    .forEach(l -> System.out.println("  " + l.substring(l.indexOf("index "))));
            report(label, output, wall, rss.megabytes());
            return wall;
        }
    }

    private static void report(String run, String output, double wall, long peakMb) throws IOException {
        int json = output.indexOf("{\n");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var result = mapper.readTree(output.substring(json));
        System.out.printf(
                "run %s: %s in %.1f s wall (app start included), ingestion %.1f s, peak RSS %d MB%n",
                run,
                result.get("status").asText(),
                wall,
                result.get("durationSeconds").asDouble(),
                peakMb);
        var phases = result.get("phaseSeconds");
        var rows = result.get("rowsInjected");
        phases.fieldNames().forEachRemaining(phase -> {
            double s = phases.get(phase).asDouble();
            String table = switch (phase) {
                case "movies.csv" -> "raw_movies";
                case "ratings.csv" -> "raw_ratings";
                case "tags.csv" -> "raw_tags";
                case "links.csv" -> "raw_links";
                case "genome-tags.csv" -> "raw_genome_tags";
                case "genome-scores.csv" -> "raw_genome_scores";
                default -> null;
            };
            if (table != null && rows.has(table)) {
                long n = rows.get(table).asLong();
                System.out.printf("  %-20s %11d rows %7.1f s %12.0f rows/s%n", phase, n, s, n / Math.max(s, 1e-3));
            } else {
                System.out.printf("  %-20s %7.1f s%n", phase, s);
            }
        });
    }
}
