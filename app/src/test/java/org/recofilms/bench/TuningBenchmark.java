package org.recofilms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.recofilms.launcher.LocalKafka;
import org.recofilms.launcher.LocalPostgres;
import org.recofilms.local.RepositoryRoot;

/**
 * Tuning benchmark: a real PostgreSQL and Kafka broker, the database loaded by the packaged app's {@code ingest} command, the seed's
 * item-kNN trained and promoted by {@code train --promote} (the champion), then {@code tune} of one
 * family: its trials on the validation users, the best trained on all the data and promoted only when its
 * paired gain over the champion on the test users is significant. Prints each trial, both models'
 * full-ranking NDCG@100 on the test users with their standard errors, the promotion decision and the
 * times. Run by scripts/bench-tuning.sh. Asserts nothing.
 *
 * <p>Arguments: DATASET_DIR FAMILY TRIALS [more tune options]
 */
public final class TuningBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        String family = args[1];
        String trials = args[2];
        Path work = Files.createTempDirectory("reco-bench-tuning");
        try (LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), 0, false, false);
                LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, RepositoryRoot.topicsFile())) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            env.put("RECO_DATA_DIR", work.resolve("data").toString());
            // a promotion is announced on reco.pipeline.events: it needs the broker
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            AppCommand.Result ingest = AppCommand.run(env, "ingest", "--source=" + dataset);
            System.out.printf("ingested %s in %.1f s%n", dataset.getFileName(), ingest.wall());

            AppCommand.Result champion = AppCommand.run(env, "train", "--promote");
            JsonNode championMetrics = json(champion.output()).get("metrics");
            System.out.printf(
                    "champion: item-kNN (the seed's parameters) trained and promoted in %.1f s: test NDCG@100 %s%n",
                    champion.wall(), withSe(championMetrics, "full_ndcg_100"));
            promotionLine(champion.output());

            List<String> tune = new ArrayList<>(List.of("tune", "--family=" + family, "--trials=" + trials));
            tune.addAll(Arrays.asList(args).subList(3, args.length));
            AppCommand.Result tuned = AppCommand.run(env, tune.toArray(String[]::new));
            JsonNode report = json(tuned.output());
            System.out.printf(
                    "%s in %.1f s, %d validation users:%n",
                    String.join(" ", tune),
                    tuned.wall(),
                    report.get("validation_users").asInt());
            for (JsonNode t : report.get("trials")) {
                System.out.printf(
                        "  trial %2d %-60s validation NDCG@100 %.4f (SE %.4f) %6.1f s%n",
                        t.get("trial").asInt(),
                        t.get("params").toString(),
                        t.get("val_full_ndcg_100").asDouble(),
                        t.get("val_full_ndcg_100_se").asDouble(),
                        t.get("seconds").asDouble());
            }
            JsonNode best = report.get("training");
            System.out.printf(
                    "best trial %d trained on all the data: test NDCG@100 %s, Recall@20 %s, catalogue share %s%n",
                    report.get("best_trial").asInt(),
                    withSe(best.get("metrics"), "full_ndcg_100"),
                    withSe(best.get("metrics"), "full_recall_20"),
                    text(best.get("metrics"), "catalogue_share"));
            promotionLine(tuned.output());
        }
    }

    /** The last JSON object the command printed (its report). */
    private static JsonNode json(String output) throws Exception {
        return JSON.readTree(output.substring(output.indexOf("{\n"), output.lastIndexOf("}") + 1));
    }

    private static String withSe(JsonNode metrics, String name) {
        return text(metrics, name) + " (SE " + text(metrics, name + "_se") + ")";
    }

    private static String text(JsonNode metrics, String name) {
        JsonNode v = metrics == null ? null : metrics.get(name);
        return v == null ? "n/a" : String.format("%.4f", v.asDouble());
    }

    private static void promotionLine(String output) {
        output.lines().filter(l -> l.startsWith("promotion:")).forEach(l -> System.out.println("  " + l));
    }
}
