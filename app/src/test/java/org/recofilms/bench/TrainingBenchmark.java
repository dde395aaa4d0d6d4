package org.recofilms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.recofilms.launcher.LocalPostgres;

/**
 * Training benchmark: a real PostgreSQL loaded by the packaged app's {@code ingest} command with
 * a generated dataset, then the app's {@code train --family=F} command run RUNS times per family (-Xmx2g): prints the
 * snapshot export, snapshot read, training, and each evaluation's time, the metrics, the peak heap
 * (the command's {@code HeapPeak}) and the app's peak RSS (VmHWM), then the medians per family. Run by scripts/bench-training.sh. Asserts nothing.
 *
 * <p>Arguments: DATASET_DIR [RUNS] [FAMILIES, comma separated; default itemknn]
 */
public final class TrainingBenchmark {

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<String> families = List.of((args.length > 2 ? args[2] : "itemknn").split(","));
        Path work = Files.createTempDirectory("reco-bench-training");
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), 0, false, true)) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            env.put("RECO_DATA_DIR", work.resolve("data").toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
            AppCommand.Result ingest = AppCommand.run(env, "ingest", "--source=" + dataset);
            System.out.printf("ingested the dataset in %.1f s%n", ingest.wall());
            for (String family : families) {
                Map<String, List<Double>> phases = new TreeMap<>();
                for (int run = 1; run <= runs; run++) {
                    AppCommand.Result train = AppCommand.run(env, "train", "--family=" + family);
                    JsonNode result = new ObjectMapper()
                            .readTree(train.output()
                                    .substring(
                                            train.output().indexOf("{\n"),
                                            train.output().lastIndexOf("}") + 1));
                    String heap = train.output()
                            .lines()
                            .filter(l -> l.startsWith("peak heap:"))
                            .findFirst()
                            .orElse("?");
                    System.out.printf(
                            "%s run %d: %s, %d snapshot rows, %d movies served, %d item-item pairs; %s, peak RSS %d MB%n",
                            family,
                            run,
                            result.get("status").asText(),
                            result.path("snapshotRows").asLong(),
                            result.path("movies").asInt(),
                            result.path("neighborPairs").asInt(),
                            heap,
                            train.peakMb());
                    result.get("phaseSeconds").fields().forEachRemaining(e -> {
                        System.out.printf(
                                "  %-22s %6.2f s%n", e.getKey(), e.getValue().asDouble());
                        phases.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(e.getValue().asDouble());
                    });
                    phases.computeIfAbsent("peak heap MB", k -> new ArrayList<>())
                            .add(firstNumber(heap));
                    phases.computeIfAbsent("peak RSS MB", k -> new ArrayList<>())
                            .add((double) train.peakMb());
                    if (run == 1) {
                        result.get("metrics")
                                .fields()
                                .forEachRemaining(e -> System.out.printf(
                                        "  %-36s %.4f%n",
                                        e.getKey(), e.getValue().asDouble()));
                    }
                }
                System.out.printf("%s medians over %d run(s):%n", family, runs);
                phases.forEach((phase, values) -> {
                    values.sort(Double::compare);
                    System.out.printf("  %-22s %8.2f%n", phase, values.get(values.size() / 2));
                });
            }
        }
    }

    /** The first whole number in a line, or -1. */
    private static double firstNumber(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(line);
        return m.find() ? Double.parseDouble(m.group()) : -1;
    }
}
