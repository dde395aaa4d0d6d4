package org.recofilms.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.recofilms.snapshot.ModelArtifacts;
import org.recofilms.snapshot.PopularityArrays;

/**
 * Makes a model folder an MLflow Model (the format {@code mlflow.pyfunc.load_model} reads), beside the artifacts the
 * Java service serves from, which stay as they are:
 *
 * <ul>
 *   <li>{@value #MLMODEL}: a {@code python_function} flavor whose loader is shipped in {@code code/} (loader module
 *       {@value #LOADER_MODULE}, from the classpath resource {@code mlflow/}); no {@code data} key, so the loader gets
 *       the model folder itself; the signature (inputs: one row per rating, {@code user_id} optional, {@code
 *       movie_id}, {@code rating}; param {@code top_n}; outputs: one row per recommendation); the input example;
 *   <li>{@code input_example.json} (pandas split orient, with its params) and {@code serving_input_example.json}
 *       (the body {@code mlflow models serve} takes);
 *   <li>{@code requirements.txt}, {@code python_env.yaml}, {@code conda.yaml}: numpy, pandas, pyarrow and mlflow.
 * </ul>
 *
 * The formats are those MLflow 3.x writes for a {@code loader_module} model (checked against
 * {@code mlflow.pyfunc.save_model} of the MLflow release the tests run).
 */
public final class MlflowModelFiles {

    /** The MLflow Model descriptor's file name. */
    public static final String MLMODEL = "MLmodel";

    /** The Python module that loads a version ({@code code/reco_films_pyfunc.py}). */
    public static final String LOADER_MODULE = "reco_films_pyfunc";

    /** The folder of the shipped loader code, relative to the model folder. */
    public static final String CODE_DIR = "code";

    /** The version's descriptor, written by the training: run, params, metrics, files and family. */
    public static final String DESCRIPTOR = "model.json";

    /** The family of a model.json that names none. */
    public static final String DEFAULT_FAMILY = "itemknn";

    public static final String INPUT_EXAMPLE = "input_example.json";
    public static final String SERVING_INPUT_EXAMPLE = "serving_input_example.json";

    /** Environment files copied from the classpath as they are. */
    private static final List<String> ENVIRONMENT_FILES = List.of("requirements.txt", "python_env.yaml", "conda.yaml");

    /** The Python the environment files name; the loader needs no newer one. */
    static final String PYTHON_VERSION = "3.11";

    /** How many of the most popular movies the input example's user rated, and how. */
    private static final float[] EXAMPLE_RATINGS = {5.0f, 4.5f, 4.0f, 4.0f, 3.5f, 3.0f};

    private static final int EXAMPLE_TOP_N = 5;

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // every string quoted: YAML 1.1 would read 3.11 as a number and the creation time as a timestamp
            .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private MlflowModelFiles() {}

    /**
     * Writes the MLflow Model files into {@code modelDir}, which holds the version's artifacts (model.json and
     * movie_popularity.parquet at least), and returns their paths relative to it, the MLmodel last. The input
     * example's user rated the most popular movies; the MLmodel's {@code metadata} holds the family (as the loader
     * reads it from model.json) and {@code metadata}.
     */
    public static List<String> write(Path modelDir, String runId, String artifactPath, Map<String, String> metadata) {
        try {
            PopularityArrays popularity =
                    ModelArtifacts.readPopularity(modelDir.resolve(ModelArtifacts.POPULARITY_FILE));
            Map<String, String> described = new LinkedHashMap<>();
            described.put("family", family(modelDir.resolve(DESCRIPTOR)));
            described.putAll(metadata);
            List<String> written = new ArrayList<>();
            Path code = Files.createDirectories(modelDir.resolve(CODE_DIR));
            String loader = LOADER_MODULE + ".py";
            Files.write(code.resolve(loader), resource(loader));
            written.add(CODE_DIR + "/" + loader);
            for (String file : ENVIRONMENT_FILES) {
                Files.write(modelDir.resolve(file), resource(file));
                written.add(file);
            }
            Map<String, Object> inputs = exampleInputs(popularity);
            Map<String, Object> params = Map.of("top_n", EXAMPLE_TOP_N);
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("inputs", inputs);
            example.put("params", params);
            Files.writeString(modelDir.resolve(INPUT_EXAMPLE), JSON.writeValueAsString(example));
            written.add(INPUT_EXAMPLE);
            Map<String, Object> serving = new LinkedHashMap<>();
            serving.put("dataframe_split", inputs);
            serving.put("params", params);
            Files.writeString(
                    modelDir.resolve(SERVING_INPUT_EXAMPLE),
                    JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(serving));
            written.add(SERVING_INPUT_EXAMPLE);
            Files.writeString(
                    modelDir.resolve(MLMODEL), YAML.writeValueAsString(descriptor(runId, artifactPath, described)));
            written.add(MLMODEL);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MLflow Model files into " + modelDir, e);
        }
    }

    /** The MLmodel content: what MLflow 3.x writes for a loader_module model, without the fields only MLflow knows. */
    static Map<String, Object> descriptor(String runId, String artifactPath, Map<String, String> metadata)
            throws JsonProcessingException {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("conda", "conda.yaml");
        env.put("virtualenv", "python_env.yaml");
        Map<String, Object> pyfunc = new LinkedHashMap<>();
        pyfunc.put("code", CODE_DIR);
        pyfunc.put("env", env);
        pyfunc.put("loader_module", LOADER_MODULE);
        pyfunc.put("python_version", PYTHON_VERSION);
        pyfunc.put("streamable", false);
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put(
                "inputs",
                JSON.writeValueAsString(List.of(
                        column("long", "user_id", false),
                        column("long", "movie_id", true),
                        column("double", "rating", true))));
        signature.put(
                "outputs",
                JSON.writeValueAsString(List.of(
                        column("long", "user_id", false),
                        column("long", "rank", true),
                        column("long", "movie_id", true),
                        column("double", "score", true),
                        arrayColumn("long", "because"),
                        column("string", "strategy", true),
                        column("string", "reason", false))));
        Map<String, Object> topN = new LinkedHashMap<>();
        topN.put("name", "top_n");
        topN.put("default", 10);
        topN.put("shape", null);
        topN.put("type", "long");
        signature.put("params", JSON.writeValueAsString(List.of(topN)));
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("artifact_path", INPUT_EXAMPLE);
        example.put("pandas_orient", "split");
        example.put("params", "true");
        example.put("serving_input_path", SERVING_INPUT_EXAMPLE);
        example.put("type", "dataframe");
        Map<String, Object> mlmodel = new LinkedHashMap<>();
        mlmodel.put("artifact_path", artifactPath);
        mlmodel.put("flavors", Map.of("python_function", pyfunc));
        mlmodel.put("metadata", metadata);
        mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
        mlmodel.put("run_id", runId);
        mlmodel.put("saved_input_example_info", example);
        mlmodel.put("signature", signature);
        mlmodel.put("utc_time_created", LocalDateTime.now(ZoneOffset.UTC).format(CREATED));
        return mlmodel;
    }

    private static Map<String, Object> column(String type, String name, boolean required) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("name", name);
        c.put("required", required);
        return c;
    }

    private static Map<String, Object> arrayColumn(String itemType, String name) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "array");
        c.put("items", Map.of("type", itemType));
        c.put("name", name);
        c.put("required", true);
        return c;
    }

    /** One user (id 1) who rated the most popular movies, best first: pandas split orient. */
    static Map<String, Object> exampleInputs(PopularityArrays popularity) {
        int[] best = IntStream.range(0, popularity.size())
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -popularity.bayesScores()[i])
                        .thenComparingInt(i -> popularity.movieIds()[i]))
                .limit(EXAMPLE_RATINGS.length)
                .mapToInt(i -> popularity.movieIds()[i])
                .toArray();
        Arrays.sort(best);
        List<List<Object>> rows = new ArrayList<>();
        for (int k = 0; k < best.length; k++) {
            rows.add(List.of(1, best[k], (double) EXAMPLE_RATINGS[k]));
        }
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("columns", List.of("user_id", "movie_id", "rating"));
        split.put("data", rows);
        return split;
    }

    /** The family model.json names; the seed's item-kNN when it names none (as the loader reads it). */
    static String family(Path descriptor) throws IOException {
        String family = JSON.readTree(descriptor.toFile()).path("family").asText("");
        return family.isBlank() ? DEFAULT_FAMILY : family;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MlflowModelFiles.class.getClassLoader().getResourceAsStream("mlflow/" + name)) {
            if (in == null) {
                throw new IOException("classpath resource mlflow/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
