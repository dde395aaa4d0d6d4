package org.recofilms.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.recofilms.launcher.LocalMlflow;

/**
 * MLflow's own Python client, from the virtualenv the test MLflow server runs from, driven by the script
 * {@code pyfunc/predict.py}: it loads a version with {@code mlflow.pyfunc.load_model}, checks its input example and
 * predicts for the users of a request. Its answer is the script's last stdout line, as JSON.
 */
final class PythonClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PythonClient() {}

    /**
     * Predictions of {@code modelUri} for {@code users} (user id to rows of [movie id, rating]), {@code topN} each;
     * {@code trackingUri} (may be null) for models:/ and runs:/ URIs.
     */
    static JsonNode predict(
            String modelUri, String trackingUri, Map<Integer, List<double[]>> users, int topN, Path work)
            throws IOException, InterruptedException {
        return predict(modelUri, trackingUri, Map.of("top_n", topN, "users", users), work);
    }

    /** What a Python run printed (stdout and stderr) and its exit code. */
    record Run(int exitCode, String output) {}

    /** Runs the virtualenv's python with {@code args}, in {@code work}. */
    static Run python(Path work, String... args) throws IOException, InterruptedException {
        Path python = LocalMlflow.executable(true)
                .orElseThrow(() -> new IllegalStateException("mlflow " + LocalMlflow.VERSION + " not installable"))
                .resolveSibling("python");
        List<String> command = new ArrayList<>(List.of(python.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "python", ".out");
        Process p = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    /** The same for a whole request ({@code top_n}, {@code users}, optionally {@code anonymous}: see the script). */
    static JsonNode predict(String modelUri, String trackingUri, Map<String, Object> body, Path work)
            throws IOException, InterruptedException {
        Path mlflow = LocalMlflow.executable(true)
                .orElseThrow(() -> new IllegalStateException("mlflow " + LocalMlflow.VERSION + " not installable"));
        Path python = mlflow.resolveSibling("python");
        Path script = work.resolve("predict.py");
        try (InputStream in = PythonClient.class.getClassLoader().getResourceAsStream("pyfunc/predict.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path request = work.resolve("request.json");
        JSON.writeValue(request.toFile(), body);
        Path out = work.resolve("python.out");
        List<String> command =
                new ArrayList<>(List.of(python.toString(), script.toString(), modelUri, request.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("MLFLOW_DISABLE_TELEMETRY", "true");
        builder.environment().put("DO_NOT_TRACK", "true");
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        if (trackingUri != null) {
            builder.environment().put("MLFLOW_TRACKING_URI", trackingUri);
        }
        Process p = builder.start();
        // a generous bound: importing mlflow takes a few seconds, the predictions milliseconds
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the Python client did not finish: " + Files.readString(out));
        }
        List<String> lines = Files.readAllLines(out);
        if (p.exitValue() != 0 || lines.isEmpty()) {
            throw new AssertionError(
                    "the Python client failed (exit " + p.exitValue() + "):\n" + String.join("\n", lines));
        }
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
