package org.recofilms.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.serving.FactorRecommender;
import org.recofilms.serving.Recommender;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.ModelArtifacts;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;
import org.recofilms.snapshot.ServingBundle;
import org.recofilms.snapshot.SnapshotException;
import org.recofilms.training.FactorModel;
import org.recofilms.training.IalsParams;
import org.recofilms.training.IalsTrainer;
import org.recofilms.training.Ratings;
import org.yaml.snakeyaml.Yaml;

/**
 * A model folder made an MLflow Model, loaded from disk by MLflow's own Python client: the Python loader answers
 * what the Java {@link Recommender} answers on the same random model (ties, float32 sums, fallbacks included), and
 * the MLmodel, signature and input example are what MLflow reads.
 */
class MlflowModelFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] SIMILARITIES = {0.1f, 0.125f, 0.25f, 0.3f, 0.5f, 0.7f};
    private static final int TOP_N = 7;

    @TempDir
    Path dir;

    @TempDir
    Path work;

    @Test
    void thePythonLoaderAnswersAsTheJavaRecommenderOnRandomModels() throws Exception {
        Random random = new Random(20_150);
        NeighborArrays neighbors = randomNeighbors(random);
        PopularityArrays popularity = randomPopularity(random, neighbors.movieIds());
        writeArtifacts(neighbors, popularity);
        List<String> written = MlflowModelFiles.write(dir, "run-1", "model", Map.of("training_run_id", "t-1"));
        assertEquals(MlflowModelFiles.MLMODEL, written.get(written.size() - 1));
        for (String file : written) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }

        Map<Integer, List<double[]>> users = randomUsers(random, popularity.movieIds());
        JsonNode python = PythonClient.predict(dir.toString(), null, users, TOP_N, work);

        Recommender java = new Recommender(neighbors, popularity);
        Map<String, Integer> strategies = new TreeMap<>();
        for (Map.Entry<Integer, List<double[]>> user : users.entrySet()) {
            Recommender.Recommendation expected = java.recommend(ids(user.getValue()), ratings(user.getValue()), TOP_N);
            JsonNode got = python.path("users").path(user.getKey().toString());
            String what = "user " + user.getKey() + " " + got;
            assertEquals(expected.strategy(), got.path("strategy").asText(), what);
            if (expected.fallback() == null) {
                assertTrue(got.path("reason").isNull(), what);
            } else {
                assertEquals(expected.fallback().tag, got.path("reason").asText(), what);
            }
            assertEquals(expected.items().size(), got.path("items").size(), what);
            for (int k = 0; k < expected.items().size(); k++) {
                Recommender.Item item = expected.items().get(k);
                JsonNode g = got.path("items").get(k);
                assertEquals(item.movieId(), g.path("movie_id").asInt(), what);
                // float32 sums in the same order on both sides: the same number
                assertEquals(item.score(), g.path("score").asDouble(), 0.0, what);
                assertEquals(
                        Arrays.toString(item.because()),
                        g.path("because").toString().replace(",", ", "),
                        what);
            }
            strategies.merge(
                    expected.fallback() == null ? expected.strategy() : expected.fallback().tag, 1, Integer::sum);
        }
        // the random users reach every path of the rule
        assertEquals(
                List.of("few_ratings", "item_cf", "no_candidate"),
                List.copyOf(strategies.keySet()),
                strategies.toString());
        assertTrue(strategies.get("item_cf") >= 20, strategies.toString());
    }

    /**
     * The relative difference allowed between a Python and a Java score of an iALS version. The loader repeats the
     * fold-in's arithmetic in Java's order, so the scores come out equal; the bound leaves room only for a float32
     * rounding of the user vector (about 1e-7 relative), far below the gaps the same order needs.
     */
    private static final double FACTOR_SCORE_TOLERANCE = 1e-4;

    @Test
    void thePythonLoaderAnswersAsTheJavaFactorRecommenderOnATrainedIalsModel() throws Exception {
        FactorModel model = trainedIals();
        FactorBundle.Factors factors = factorArrays(model);
        PopularityArrays popularity = randomPopularity(new Random(31), model.movieIds());
        writeIalsArtifacts(factors, popularity);
        List<String> written = MlflowModelFiles.write(dir, "run-4", "model", Map.of("training_run_id", "t-4"));
        assertTrue(written.contains(MlflowModelFiles.MLMODEL), written.toString());

        Map<Integer, List<double[]>> users = ialsUsers(new Random(404), model.movieIds());
        JsonNode python = PythonClient.predict(dir.toString(), null, users, TOP_N, work);
        assertEquals("ials", python.path("metadata").path("family").asText());
        // the input example answers with the factor engine too
        assertEquals(
                FactorRecommender.STRATEGY,
                python.path("example")
                        .path("answers")
                        .path("1")
                        .path("strategy")
                        .asText());

        FactorRecommender java = new FactorRecommender(FactorBundle.read(dir.resolve(FactorBundle.FILE)), popularity);
        Map<String, Integer> strategies = new TreeMap<>();
        double worst = 0;
        for (Map.Entry<Integer, List<double[]>> user : users.entrySet()) {
            Recommender.Recommendation expected = java.recommend(ids(user.getValue()), ratings(user.getValue()), TOP_N);
            JsonNode got = python.path("users").path(user.getKey().toString());
            String what = "user " + user.getKey() + " " + got;
            assertEquals(expected.strategy(), got.path("strategy").asText(), what);
            if (expected.fallback() == null) {
                assertTrue(got.path("reason").isNull(), what);
            } else {
                assertEquals(expected.fallback().tag, got.path("reason").asText(), what);
            }
            assertEquals(expected.items().size(), got.path("items").size(), what);
            for (int k = 0; k < expected.items().size(); k++) {
                Recommender.Item item = expected.items().get(k);
                JsonNode g = got.path("items").get(k);
                assertEquals(item.movieId(), g.path("movie_id").asInt(), what);
                double relative =
                        Math.abs(item.score() - g.path("score").asDouble()) / Math.max(Math.abs(item.score()), 1e-12);
                assertTrue(relative <= FACTOR_SCORE_TOLERANCE, what + ": score " + item.score());
                worst = Math.max(worst, relative);
                assertEquals(
                        Arrays.toString(item.because()),
                        g.path("because").toString().replace(",", ", "),
                        what);
            }
            strategies.merge(
                    expected.fallback() == null ? expected.strategy() : expected.fallback().tag, 1, Integer::sum);
        }
        System.out.println("iALS scores, Python against Java: largest relative difference " + worst);
        assertEquals(
                List.of("few_ratings", FactorRecommender.STRATEGY, "no_candidate"),
                List.copyOf(strategies.keySet()),
                strategies.toString());
        assertTrue(strategies.get(FactorRecommender.STRATEGY) >= 40, strategies.toString());
    }

    @Test
    void mlflowReadsTheDescriptorSignatureAndInputExample() throws Exception {
        Random random = new Random(7);
        NeighborArrays neighbors = randomNeighbors(random);
        PopularityArrays popularity = randomPopularity(random, neighbors.movieIds());
        writeArtifacts(neighbors, popularity);
        MlflowModelFiles.write(dir, "run-2", "model", Map.of("training_run_id", "t-2"));

        Map<String, Object> mlmodel = new Yaml().load(Files.readString(dir.resolve(MlflowModelFiles.MLMODEL)));
        assertEquals("run-2", mlmodel.get("run_id"));
        assertEquals("model", mlmodel.get("artifact_path"));
        // strings stay strings for a YAML 1.1 reader (PyYAML, as MLflow reads it)
        assertTrue(mlmodel.get("utc_time_created") instanceof String, String.valueOf(mlmodel.get("utc_time_created")));
        @SuppressWarnings("unchecked")
        Map<String, Object> pyfunc =
                (Map<String, Object>) ((Map<String, Object>) mlmodel.get("flavors")).get("python_function");
        assertEquals(MlflowModelFiles.LOADER_MODULE, pyfunc.get("loader_module"));
        assertEquals(MlflowModelFiles.CODE_DIR, pyfunc.get("code"));
        assertNull(pyfunc.get("data"), "the loader gets the model folder itself");
        assertEquals(MlflowModelFiles.PYTHON_VERSION, pyfunc.get("python_version"));

        int[] user = Arrays.copyOf(neighbors.movieIds(), 6);
        Map<Integer, List<double[]>> users = Map.of(
                3, List.of(new double[] {user[0], 5}, new double[] {user[1], 4}, new double[] {user[2], 2}),
                4, rows(user, 4.5));
        JsonNode python = PythonClient.predict(
                dir.toString(), null, Map.of("top_n", 3, "users", users, "anonymous", rows(user, 4.5)), work);

        assertEquals(
                MlflowModelFiles.LOADER_MODULE, python.path("loader_module").asText());
        JsonNode signature = python.path("signature");
        assertEquals(List.of("user_id", "movie_id", "rating"), strings(signature.path("inputs")));
        assertEquals(List.of("movie_id", "rating"), strings(signature.path("required")));
        assertEquals(
                List.of("user_id", "rank", "movie_id", "score", "because", "strategy", "reason"),
                strings(signature.path("outputs")));
        assertEquals(10, signature.path("params").path("top_n").asInt());
        assertEquals("itemknn", python.path("metadata").path("family").asText());
        assertEquals("t-2", python.path("metadata").path("training_run_id").asText());

        JsonNode example = python.path("example");
        assertEquals(6, example.path("rows").asInt());
        assertEquals(5, example.path("params").path("top_n").asInt());
        // what `mlflow models serve` would answer to serving_input_example.json: the same
        assertEquals(example.path("answers"), example.path("served"));
        JsonNode exampleUser = example.path("answers").path("1");
        assertEquals(5, exampleUser.path("items").size(), example.toString());

        assertEquals(
                "few_ratings", python.path("users").path("3").path("reason").asText());
        assertEquals(3, python.path("users").path("3").path("items").size());
        assertEquals(3, python.path("users").path("4").path("items").size());
        // without the optional user_id column: one user, answered with user_id <NA>
        assertEquals(python.path("users").path("4"), python.path("anonymous").path("anonymous"));
    }

    @Test
    void theLoaderPicksTheEngineByFamily() throws Exception {
        Random random = new Random(11);
        NeighborArrays neighbors = randomNeighbors(random);
        writeArtifacts(neighbors, randomPopularity(random, neighbors.movieIds()));
        MlflowModelFiles.write(dir, "run-3", "model", Map.of());
        String load = "import sys; sys.path.insert(0, sys.argv[1]); import reco_films_pyfunc as r;"
                + " m = r._load_pyfunc(sys.argv[2]); print(type(m.engine).__name__)";
        String code = dir.resolve(MlflowModelFiles.CODE_DIR).toString();
        for (String family : List.of("itemknn", "rp3beta", "ease", "EASE")) {
            describe(Map.of("family", family));
            PythonClient.Run run = PythonClient.python(work, "-c", load, code, dir.toString());
            assertEquals(0, run.exitCode(), family + ": " + run.output());
            assertEquals("ItemItemEngine", run.output().strip(), family);
        }
        describe(Map.of("family", "ials"));
        PythonClient.Run noFactors = PythonClient.python(work, "-c", load, code, dir.toString());
        assertTrue(noFactors.exitCode() != 0, noFactors.output());
        assertTrue(noFactors.output().contains(FactorBundle.FILE), noFactors.output());

        Path factors = dir.resolve(FactorBundle.FILE);
        FactorBundle.write(factors, factorArrays(trainedIals()));
        for (String family : List.of("ials", "IALS")) {
            describe(Map.of("family", family));
            PythonClient.Run run = PythonClient.python(work, "-c", load, code, dir.toString());
            assertEquals(0, run.exitCode(), family + ": " + run.output());
            assertEquals("FactorEngine", run.output().strip(), family);
        }
        // refused as the Java reader refuses them: a flipped bit, a truncated file, another format
        byte[] bytes = Files.readAllBytes(factors);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        Map<String, byte[]> corrupt = new LinkedHashMap<>();
        corrupt.put("fails its checksum", flipped);
        corrupt.put("truncated or corrupt", Arrays.copyOf(bytes, bytes.length - 9));
        byte[] otherFormat = bytes.clone();
        otherFormat[8] = 2;
        corrupt.put("is not a factor bundle of format 1", otherFormat);
        for (Map.Entry<String, byte[]> c : corrupt.entrySet()) {
            Files.write(factors, c.getValue());
            PythonClient.Run run = PythonClient.python(work, "-c", load, code, dir.toString());
            assertTrue(run.exitCode() != 0, run.output());
            assertTrue(run.output().contains(c.getKey()), c.getKey() + ": " + run.output());
            assertThrows(SnapshotException.class, () -> FactorBundle.read(factors), c.getKey());
        }
        describe(Map.of("family", "bpr"));
        PythonClient.Run unknown = PythonClient.python(work, "-c", load, code, dir.toString());
        assertTrue(unknown.exitCode() != 0, unknown.output());
        assertTrue(unknown.output().contains("model family 'bpr' has no Python engine"), unknown.output());
    }

    /**
     * 300 users, 120 movies (ids 2, 5, 8, ...), 8 to 30 ratings each in windows of neighbouring movies (a structure
     * the factors learn), 16 factors; ratings below 3 are not interactions.
     */
    private static FactorModel trainedIals() {
        SplittableRandom rng = new SplittableRandom(15);
        List<int[]> rows = new ArrayList<>();
        for (int u = 1; u <= 300; u++) {
            int start = rng.nextInt(120);
            int count = 8 + rng.nextInt(23);
            TreeSet<Integer> movies = new TreeSet<>();
            for (int k = 0; movies.size() < count; k++) {
                movies.add(2 + 3 * ((start + k * (1 + rng.nextInt(3))) % 120));
            }
            for (int m : movies) {
                rows.add(new int[] {u, m, 1 + rng.nextInt(5)});
            }
        }
        int[] users = rows.stream().mapToInt(r -> r[0]).toArray();
        int[] movies = rows.stream().mapToInt(r -> r[1]).toArray();
        float[] ratings = new float[rows.size()];
        for (int k = 0; k < ratings.length; k++) {
            ratings[k] = rows.get(k)[2];
        }
        return new IalsTrainer(IalsParams.defaults()
                        .withFactors(16)
                        .withIterations(5)
                        .withPositiveThreshold(3f)
                        .withParallelism(1))
                .train(new Ratings(users, movies, ratings));
    }

    private static FactorBundle.Factors factorArrays(FactorModel m) {
        return new FactorBundle.Factors(
                m.movieIds(),
                m.factors(),
                m.itemFactors(),
                m.gram(),
                m.regularization(),
                m.unobservedWeight(),
                m.alpha(),
                m.positiveThreshold());
    }

    /** The files TrainingService writes for an iALS version: factors, popularity, serving.bin, model.json. */
    private void writeIalsArtifacts(FactorBundle.Factors factors, PopularityArrays popularity) throws Exception {
        FactorBundle.write(dir.resolve(FactorBundle.FILE), factors);
        ModelArtifacts.writePopularity(dir.resolve(ModelArtifacts.POPULARITY_FILE), popularity);
        ServingBundle.write(
                dir.resolve(ServingBundle.FILE),
                new NeighborArrays(new int[0], new int[] {0}, new int[0], new float[0]),
                popularity);
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("model", "matrix_factorization");
        descriptor.put("family", "ials");
        descriptor.put(
                "files",
                Map.of(
                        "factors",
                        FactorBundle.FILE,
                        "popularity",
                        ModelArtifacts.POPULARITY_FILE,
                        "serving",
                        ServingBundle.FILE));
        JSON.writeValue(dir.resolve(MlflowModelFiles.DESCRIPTOR).toFile(), descriptor);
    }

    /**
     * 60 users: most rate 5 to 40 model movies in half stars; every tenth has fewer than five ratings; users 7, 17,
     * ... rate only below the positive threshold or only movies outside the model (no candidate); a few ratings of
     * movies the model does not know are mixed in.
     */
    private static Map<Integer, List<double[]>> ialsUsers(Random random, int[] known) {
        Map<Integer, List<double[]>> users = new TreeMap<>();
        for (int u = 1; u <= 60; u++) {
            int count = u % 10 == 0 ? 1 + random.nextInt(4) : 5 + random.nextInt(36);
            TreeSet<Integer> movies = new TreeSet<>();
            while (movies.size() < count) {
                boolean outside = (u % 20 == 17) || random.nextInt(12) == 0;
                movies.add(outside ? 1000 + random.nextInt(100) : known[random.nextInt(known.length)]);
            }
            List<double[]> rows = new ArrayList<>();
            for (int m : movies) {
                double rating = u % 20 == 7 ? 0.5 + random.nextInt(5) * 0.5 : 0.5 + random.nextInt(10) * 0.5;
                rows.add(new double[] {m, rating});
            }
            users.put(u, rows);
        }
        return users;
    }

    private void describe(Map<String, Object> extra) throws Exception {
        Map<String, Object> descriptor = new LinkedHashMap<>(extra);
        descriptor.put("model", "item_cf");
        JSON.writeValue(dir.resolve(MlflowModelFiles.DESCRIPTOR).toFile(), descriptor);
    }

    private void writeArtifacts(NeighborArrays neighbors, PopularityArrays popularity) throws Exception {
        ModelArtifacts.writeNeighbors(dir.resolve(ModelArtifacts.NEIGHBORS_FILE), neighbors);
        ModelArtifacts.writePopularity(dir.resolve(ModelArtifacts.POPULARITY_FILE), popularity);
        ServingBundle.write(dir.resolve(ServingBundle.FILE), neighbors, popularity);
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("model", "item_cf");
        descriptor.put(
                "files",
                Map.of("neighbors", ModelArtifacts.NEIGHBORS_FILE, "popularity", ModelArtifacts.POPULARITY_FILE));
        JSON.writeValue(dir.resolve(MlflowModelFiles.DESCRIPTOR).toFile(), descriptor);
    }

    /** 150 movies among ids 1..500, 0 to 8 distinct neighbours each, similarities from a few values (ties). */
    private static NeighborArrays randomNeighbors(Random random) {
        TreeSet<Integer> movies = new TreeSet<>();
        while (movies.size() < 150) {
            movies.add(1 + random.nextInt(500));
        }
        int[] movieIds = movies.stream().mapToInt(Integer::intValue).toArray();
        int[] offsets = new int[movieIds.length + 1];
        List<Integer> neighborIds = new ArrayList<>();
        List<Float> similarities = new ArrayList<>();
        for (int i = 0; i < movieIds.length; i++) {
            // a fifth of the movies have no neighbours: users of those only get no candidate
            int k = i % 5 == 0 ? 0 : random.nextInt(9);
            TreeSet<Integer> chosen = new TreeSet<>();
            while (chosen.size() < k) {
                int other = movieIds[random.nextInt(movieIds.length)];
                if (other != movieIds[i]) {
                    chosen.add(other);
                }
            }
            List<Integer> list = new ArrayList<>(chosen);
            java.util.Collections.shuffle(list, random);
            for (int n : list) {
                neighborIds.add(n);
                similarities.add(SIMILARITIES[random.nextInt(SIMILARITIES.length)]);
            }
            offsets[i + 1] = neighborIds.size();
        }
        float[] sims = new float[similarities.size()];
        for (int s = 0; s < sims.length; s++) {
            sims[s] = similarities.get(s);
        }
        return new NeighborArrays(
                movieIds,
                offsets,
                neighborIds.stream().mapToInt(Integer::intValue).toArray(),
                sims);
    }

    /** Every movie with neighbours and 30 without any, bayes scores with ties, in no particular order. */
    private static PopularityArrays randomPopularity(Random random, int[] withNeighbors) {
        TreeSet<Integer> movies = new TreeSet<>();
        for (int m : withNeighbors) {
            movies.add(m);
        }
        while (movies.size() < withNeighbors.length + 30) {
            movies.add(501 + random.nextInt(200));
        }
        List<Integer> order = new ArrayList<>(movies);
        java.util.Collections.shuffle(order, random);
        int n = order.size();
        PopularityArrays p = new PopularityArrays(new int[n], new int[n], new float[n], new double[n]);
        for (int i = 0; i < n; i++) {
            p.movieIds()[i] = order.get(i);
            p.nRatings()[i] = 10 + random.nextInt(90);
            p.meanRatings()[i] = 1 + random.nextInt(9) / 2f;
            p.bayesScores()[i] = 3.0 + random.nextInt(6) * 0.25;
        }
        return p;
    }

    /**
     * 80 users: few ratings, liked movies, nothing liked, only movies without neighbours (no candidate), movies the
     * model does not know; ratings in half stars.
     */
    private static Map<Integer, List<double[]>> randomUsers(Random random, int[] known) {
        Map<Integer, List<double[]>> users = new TreeMap<>();
        int[] lonely = Arrays.stream(known).filter(m -> m <= 500).toArray();
        for (int u = 1; u <= 80; u++) {
            int count = u % 8 == 0 ? 1 + random.nextInt(4) : 5 + random.nextInt(12);
            TreeSet<Integer> movies = new TreeSet<>();
            while (movies.size() < count) {
                int movie = u % 10 == 3
                        ? 501 + random.nextInt(250) // none with neighbours: no candidate
                        : random.nextInt(10) == 0 ? 800 + random.nextInt(50) : lonely[random.nextInt(lonely.length)];
                movies.add(movie);
            }
            List<double[]> rows = new ArrayList<>();
            for (int m : movies) {
                double rating = u % 6 == 1 ? 0.5 + random.nextInt(7) * 0.5 : 0.5 + random.nextInt(10) * 0.5;
                rows.add(new double[] {m, rating});
            }
            users.put(u, rows);
        }
        return users;
    }

    private static List<double[]> rows(int[] movies, double rating) {
        List<double[]> rows = new ArrayList<>();
        for (int m : movies) {
            rows.add(new double[] {m, rating});
        }
        return rows;
    }

    private static int[] ids(List<double[]> rows) {
        return rows.stream().mapToInt(r -> (int) r[0]).toArray();
    }

    private static float[] ratings(List<double[]> rows) {
        float[] out = new float[rows.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) rows.get(k)[1];
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
