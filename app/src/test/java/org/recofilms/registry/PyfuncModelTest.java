package org.recofilms.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealMlflowResource;
import org.recofilms.local.RealServicesResource;
import org.recofilms.platform.RecoConfig;
import org.recofilms.serving.FactorRecommender;
import org.recofilms.training.IalsParams;
import org.recofilms.training.ModelSpec;
import org.recofilms.training.TrainingListener;
import org.recofilms.training.TrainingResult;
import org.recofilms.training.TrainingService;

/**
 * A version published to a real MLflow server is an MLflow Model: MLflow's own Python client loads
 * {@code models:/<name>@production} and predicts, for users' current ratings read from PostgreSQL, the same movies
 * in the same order (with the same scores and {@code because} lists) as GET /recommend answers for those users:
 * an item-kNN version, then an iALS version of the same data.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(PyfuncModelTest.WithMlflow.class)
class PyfuncModelTest {

    static final String MODEL = "reco-films-pyfunc-test";
    static final int TOP_N = 10;

    /** A real MLflow server, a model name of its own, any size of data, the seed's protocol only. */
    public static class WithMlflow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.registry.model-name", MODEL,
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealMlflowResource.class));
        }
    }

    @Inject
    IngestionService ingestion;

    @Inject
    TrainingService training;

    @Inject
    ModelPublisher publisher;

    @Inject
    PromotionService promotion;

    @Inject
    ModelRegistry registry;

    @Inject
    AgroalDataSource database;

    @Inject
    RecoConfig config;

    @Inject
    ObjectMapper json;

    @TempDir
    Path tmp;

    @Test
    void thePythonClientLoadsTheProductionVersionAndRecommendsAsTheApi() throws Exception {
        GeneratorConfig data = GeneratorConfig.demo().toBuilder()
                .randomSeed(1515)
                .ratings(40_000)
                .users(300)
                .movies(700)
                .build();
        MovieLensGenerator.generate(data, tmp.resolve("ml"));
        IngestionResult ingested =
                ingestion.ingest(UUID.randomUUID(), tmp.resolve("ml").toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        TrainingResult trained = training.train(UUID.randomUUID());
        assertEquals(TrainingResult.Status.SUCCESS, trained.status(), trained.error());
        assertEquals("mlflow", registry.kind());
        ModelVersion version = publisher.publish(trained);
        PromotionService.Outcome outcome = promotion.autoPromote(version);
        assertTrue(outcome.promoted(), outcome.reason());
        awaitServed(version);

        List<Integer> users = users();
        // one user's feedback changes the history both sides read; a new user with three ratings gets popularity
        int fresh = 1_000_000;
        List<Integer> movies = firstMovies(4);
        rate(users.get(0), List.of(movies.get(0)), 5.0);
        rate(fresh, movies.subList(1, 4), 4.5);
        users.add(fresh);

        Map<String, Integer> strategies = compare(version, users);
        assertEquals(1, strategies.get("popularity"), strategies.toString());
        assertTrue(strategies.get("item_cf") >= 8, strategies.toString());

        // an iALS version of the same data, promoted by hand: the Python loader folds in as the API does
        TrainingResult factors = training.train(
                UUID.randomUUID(),
                Optional.empty(),
                new ModelSpec.Ials(IalsParams.defaults().withFactors(16).withIterations(5)),
                TrainingListener.NONE);
        assertEquals(TrainingResult.Status.SUCCESS, factors.status(), factors.error());
        ModelVersion ials = publisher.publish(factors);
        assertTrue(
                promotion.promote(ials.version(), "test", "iALS through MLflow").promoted());
        awaitServed(ials);
        Map<String, Integer> ialsStrategies = compare(ials, users);
        assertEquals(1, ialsStrategies.get("popularity"), ialsStrategies.toString());
        assertTrue(ialsStrategies.get(FactorRecommender.STRATEGY) >= 8, ialsStrategies.toString());
    }

    private void awaitServed(ModelVersion version) {
        Awaitility.await("the API serves version " + version.version())
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> json.readTree(given().get("/model/metadata").asString())
                                .path("version")
                                .asInt()
                        == version.version());
    }

    /**
     * The production version loaded by the Python client predicts, for the users' current ratings, what GET
     * /recommend answers: movies, order, {@code because} lists, strategy and reason; scores equal up to a relative
     * 1e-9 (the same arithmetic on both sides, printed as JSON). Returns the count of answers per strategy.
     */
    private Map<String, Integer> compare(ModelVersion version, List<Integer> users) throws Exception {
        Map<Integer, List<double[]>> ratings = currentRatings(users);
        JsonNode python = PythonClient.predict(
                "models:/" + MODEL + "@" + config.registry().alias(),
                config.mlflow().trackingUri().orElseThrow(),
                ratings,
                TOP_N,
                tmp);
        Map<String, Integer> strategies = new TreeMap<>();
        for (int user : users) {
            JsonNode api = json.readTree(given().get("/recommend?user_id=" + user + "&top_n=" + TOP_N)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            JsonNode py = python.path("users").path(Integer.toString(user));
            String what = "user " + user + ": API " + api + "\nPython " + py;
            assertEquals(
                    Integer.toString(version.version()),
                    api.path("model_version").asText(),
                    what);
            assertEquals(api.path("strategy").asText(), py.path("strategy").asText(), what);
            assertEquals(
                    api.path("reason").isNull() ? null : api.path("reason").asText(), text(py.path("reason")), what);
            JsonNode expected = api.path("recommendations");
            JsonNode got = py.path("items");
            assertEquals(TOP_N, expected.size(), what);
            assertEquals(expected.size(), got.size(), what);
            for (int k = 0; k < expected.size(); k++) {
                assertEquals(
                        expected.get(k).path("movie_id").asInt(),
                        got.get(k).path("movie_id").asInt(),
                        what);
                double score = expected.get(k).path("score").asDouble();
                assertEquals(score, got.get(k).path("score").asDouble(), 1e-9 * Math.max(1, Math.abs(score)), what);
                assertEquals(expected.get(k).path("because"), got.get(k).path("because"), what);
            }
            strategies.merge(api.path("strategy").asText(), 1, Integer::sum);
        }
        return strategies;
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    /** Ten users with at least five ratings, and one whose ratings are all below 4 when there is one. */
    private List<Integer> users() throws Exception {
        List<Integer> users = new ArrayList<>();
        users.addAll(ints(
                "SELECT \"userId\" FROM raw.current_ratings GROUP BY 1 HAVING count(*) >= 5" + " ORDER BY 1 LIMIT 10"));
        for (int user : ints("SELECT \"userId\" FROM raw.current_ratings GROUP BY 1"
                + " HAVING count(*) >= 5 AND max(rating) < 4 ORDER BY 1 LIMIT 1")) {
            if (!users.contains(user)) {
                users.add(user);
            }
        }
        return users;
    }

    private List<Integer> firstMovies(int n) throws Exception {
        return ints("SELECT \"movieId\" FROM raw.raw_movies ORDER BY 1 LIMIT " + n);
    }

    private List<Integer> ints(String sql) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = database.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    /** Each user's current ratings (MovieLens merged with feedback, as the view gives them): [movie id, rating]. */
    private Map<Integer, List<double[]>> currentRatings(List<Integer> users) throws Exception {
        Map<Integer, List<double[]>> out = new TreeMap<>();
        try (Connection c = database.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT \"userId\", \"movieId\", rating"
                        + " FROM raw.current_ratings WHERE \"userId\" = ANY(?) ORDER BY 1, 2")) {
            ps.setArray(1, c.createArrayOf("integer", users.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getInt(1), u -> new ArrayList<>())
                            .add(new double[] {rs.getInt(2), rs.getFloat(3)});
                }
            }
        }
        assertEquals(users.size(), out.size(), "every chosen user has ratings");
        return out;
    }

    private static void rate(int user, List<Integer> movies, double rating) {
        StringBuilder body = new StringBuilder("[");
        for (int movie : movies) {
            body.append(body.length() > 1 ? "," : "")
                    .append("{\"movie_id\":")
                    .append(movie)
                    .append(",\"rating\":")
                    .append(rating)
                    .append('}');
        }
        given().contentType("application/json")
                .body(body.append(']').toString())
                .post("/users/" + user + "/ratings")
                .then()
                .statusCode(201);
    }
}
