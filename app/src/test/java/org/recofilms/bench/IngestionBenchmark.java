package org.recofilms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.recofilms.launcher.LocalPostgres;

/**
 * Ingestion benchmark: a real PostgreSQL (durable: fsync on), then the packaged app's
 * {@code ingest} command on a MovieLens-format directory, timed from the outside while the app's
 * peak RSS is read from /proc (VmHWM). Run by scripts/bench-ingestion.sh, which generates the
 * ML-20M-scale dataset once. Prints its figures; asserts nothing.
 *
 * <p>Arguments: DATASET_DIR [RUNS]
 */
public final class IngestionBenchmark {

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path work = Files.createTempDirectory("reco-bench-ingestion");
        List<Double> walls = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            // a fresh database and data folder each run: a second load of the same files is a no-op
            try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres-" + run), 0, false, true)) {
                Path data = work.resolve("data-" + run);
                Map<String, String> env = new HashMap<>(postgres.environment());
                env.put("RECO_DATA_DIR", data.toString());
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
                walls.add(wall);
                if (exit != 0) {
                    System.out.println(output);
                    throw new IllegalStateException("ingestion failed (exit " + exit + ")");
                }
                output.lines()
                        .filter(l -> l.contains("index ") && l.contains(" built in "))
                        .forEach(l -> System.out.println("  " + l.substring(l.indexOf("index "))));
                report(run, output, wall, rss.megabytes());
            }
        }
        walls.sort(Double::compare);
        System.out.printf(
                "median wall time over %d run(s): %.1f s (min %.1f, max %.1f)%n",
                runs, walls.get(walls.size() / 2), walls.get(0), walls.get(walls.size() - 1));
    }

    private static void report(int run, String output, double wall, long peakMb) throws IOException {
        int json = output.indexOf("{\n");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var result = mapper.readTree(output.substring(json));
        System.out.printf(
                "run %d: %s in %.1f s wall (app start included), ingestion %.1f s, peak RSS %d MB%n",
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
