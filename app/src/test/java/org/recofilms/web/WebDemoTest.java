package org.recofilms.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.monitoring.DashboardQuery;
import org.recofilms.pipeline.TrainAndPromote;

/**
 * The web demo in a real headless Chromium against the real app: generated data ingested, a model
 * trained and promoted through the services, then the page used as a visitor would. Writes the
 * README's screenshots to docs/screenshots/. One app start and one browser for every test.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(WebDemoTest.DemoProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebDemoTest {

    static final String KEY = "web-demo-operator-key";
    static final Path DATA = Path.of("target", "web-demo", "movielens").toAbsolutePath();

    /** Where the app looks for Prometheus; nothing listens there until the Prometheus test starts one. */
    static final int PROMETHEUS_PORT = freePort();

    /** An operator key, a model name of its own, the generated data as the ingestion source. */
    public static class DemoProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.security.operator-api-key", KEY,
                    "reco.registry.model-name", "reco-films-itemcf-web-demo-test",
                    "reco.ingestion.source", DATA.toString(),
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false",
                    "reco.ui.grafana-url", "http://localhost:3000",
                    "reco.monitoring.prometheus-url", "http://127.0.0.1:" + PROMETHEUS_PORT);
        }
    }

    private static Browser browser;
    private static boolean prepared;
    private static int modelVersion;

    @Inject
    IngestionService ingestion;

    @Inject
    TrainAndPromote trainAndPromote;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void dataModelAndBrowser() throws Exception {
        if (!prepared) {
            GeneratorConfig data = GeneratorConfig.demo().toBuilder()
                    .randomSeed(4242)
                    .users(400)
                    .movies(500)
                    .ratings(50_000)
                    .build();
            MovieLensGenerator.generate(data, DATA);
            IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), DATA.toString(), LoadProgress.NONE);
            assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
            TrainAndPromote.Result trained = trainAndPromote.run(UUID.randomUUID());
            assertTrue(trained.succeeded(), trained.error());
            assertTrue(trained.promotion().orElseThrow().promoted(), "the first model of its name is promoted");
            modelVersion = trained.version().orElseThrow().version();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonPath m = given().get("/model/metadata").jsonPath();
                return "serving".equals(m.getString("status")) && modelVersion == m.getInt("version");
            });
            prepared = true;
        }
        if (browser == null) {
            browser = new Browser(base.toString());
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    @Order(1)
    void recommendationsAppearForAUserWithTitlesScoresAndReasons() throws Exception {
        int user = userServedByTheModel();
        browser.open("/#recommend");
        WebElement input = browser.find("#recommend-user");
        input.clear();
        input.sendKeys(Integer.toString(user));
        browser.find("#recommend-go").click();

        browser.waitFor(d -> browser.find("#recommend-result-summary").getText().contains("User " + user));
        List<WebElement> recs = browser.all("#recommend-result .recs[data-strategy='item_cf'] li.rec");
        assertEquals(10, recs.size(), "top 10 by default");
        JsonPath api = given().get("/recommend?user_id=" + user + "&top_n=10").jsonPath();
        List<String> titles = api.getList("recommendations.title");
        assertEquals(titles, texts(recs, ".rec-title a"), "the titles the API gave, in its order");
        assertTrue(
                recs.get(0).findElement(By.cssSelector(".because")).getText().startsWith("Because you liked "),
                "the first recommendation says which of the user's movies led to it");
        assertFalse(recs.get(0).findElement(By.cssSelector(".score")).getText().isBlank());
        assertTrue(browser.find("#recommend-result-summary").getText().contains("model version " + modelVersion));
        assertTrue(
                browser.find("#recommend-result-summary").getText().contains("family itemknn"),
                "the page says which family served");

        browser.screenshot("recommend", Browser.DESKTOP, 1400);
        browser.screenshot("recommend-phone", Browser.PHONE, 1800);
    }

    @Test
    @Order(2)
    void aNewUsersRatingsChangeTheirRecommendationsAtOnce() throws Exception {
        browser.open("/#try");
        browser.find("#try-reset").click();
        long user = Long.parseLong(browser.visible("#try-user").getText());
        assertTrue(user >= 10_000_000 && user < 20_000_000, "a fresh user id: " + user);
        browser.waitFor(d -> browser.find("#try-result-summary").getText().contains("User " + user));
        assertEquals(
                "popularity",
                browser.find("#try-result .recs").getDomAttribute("data-strategy"),
                "no history: the popularity list");
        List<String> before = movieIds(browser.all("#try-result li.rec"));

        List<WebElement> candidates = browser.visibleAll("#try-candidate-list li.candidate");
        assertTrue(candidates.size() >= 5, "movies to rate: " + candidates.size());
        List<String> rated = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WebElement candidate =
                    browser.all("#try-candidate-list li.candidate").get(i);
            rated.add(candidate.getDomAttribute("data-movie-id"));
            candidate.findElement(By.cssSelector("button[data-rating='5']")).click();
            String count = Integer.toString(i + 1);
            browser.waitFor(d -> browser.find("#try-count").getText().equals(count));
        }

        browser.waitFor(d -> "item_cf".equals(browser.find("#try-result .recs").getDomAttribute("data-strategy")));
        List<String> after = movieIds(browser.all("#try-result li.rec"));
        assertFalse(after.isEmpty());
        assertNotEquals(before, after, "five ratings change the list");
        assertTrue(after.stream().noneMatch(rated::contains), "rated movies are not recommended again");
        assertFalse(browser.all("#try-result li.rec-new").isEmpty(), "new entries are marked");
        // the API agrees that the ratings were stored
        assertEquals(
                "item_cf", given().get("/recommend?user_id=" + user).jsonPath().getString("strategy"));

        browser.screenshot("new-user", Browser.DESKTOP, 1500);
    }

    @Test
    @Order(3)
    void moviesModelAndHealthViews() throws Exception {
        browser.open("/#movies");
        WebElement first = browser.visible("#popular-table tbody tr td:nth-child(2) a");
        String title = first.getText();
        first.click();
        browser.waitFor(d -> browser.find("#movie-detail h3").getText().startsWith(title));
        browser.visible("#similar-table tbody tr");
        browser.screenshot("movies", Browser.DESKTOP, 1400);

        browser.open("/#model");
        WebElement card = browser.visible("#model-card");
        assertTrue(card.getText().contains("version " + modelVersion), card.getText());
        assertTrue(card.getText().contains("serving"));
        browser.visible("#metrics-table tbody tr");
        assertTrue(browser.find("#metrics-table").getText().contains("ndcg_10"));
        assertTrue(card.getText().contains("itemknn"), "the family of the serving model: " + card.getText());
        WebElement version = browser.visible("#versions-table tbody tr");
        assertTrue(version.getText().contains("itemknn"), version.getText());
        browser.visible("#promotions-table tbody tr");
        browser.screenshot("model", Browser.DESKTOP, 1400);

        browser.open("/#health");
        browser.visible("#health-check-list [data-check='database']");
        Set<String> checks = browser.all("#health-check-list [data-check]").stream()
                .map(e -> e.getDomAttribute("data-check"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("alerts", "database", "kafka", "histories", "model"), checks);
        WebElement grafana = browser.visible("#links a[href='http://localhost:3000']");
        assertEquals("Grafana dashboards", grafana.getText());
        browser.visible("#links a[href='/docs']");
        browser.screenshot("health", Browser.DESKTOP, 1000);
    }

    @Test
    @Order(4)
    void apiErrorsAreShownAsMessages() {
        browser.open("/#recommend");
        WebElement input = browser.find("#recommend-user");
        input.clear();
        input.sendKeys("not-a-user");
        browser.find("#recommend-go").click();
        String bad = browser.visible("#recommend-messages .msg-error").getText();
        assertTrue(bad.contains("HTTP 400"), bad);

        browser.open("/#movies/987654321");
        String missing = browser.visible("#movie-messages .msg-error").getText();
        assertTrue(missing.contains("HTTP 404"), missing);

        browser.open("/#pipelines");
        WebElement key = browser.find("#operator-key");
        key.clear();
        key.sendKeys("not-the-key");
        browser.find("[data-trigger='training']").click();
        String refused = browser.visible("#pipeline-messages .msg-error").getText();
        assertTrue(refused.contains("HTTP 403"), refused);
        // the page is still there
        assertTrue(browser.find("#pipelines h1").isDisplayed());
    }

    @Test
    @Order(5)
    void aTriggeredTrainingIsFollowedLiveUntilItEnds() throws Exception {
        browser.open("/#pipelines");
        WebElement key = browser.find("#operator-key");
        key.clear();
        key.sendKeys(KEY);
        browser.find("[data-trigger='training']").click();
        browser.visible("#run-card");

        // the statuses the page shows while it polls the run
        Set<String> seen = new LinkedHashSet<>();
        browser.waitFor(Duration.ofSeconds(120), d -> {
            String status = browser.find("#run-card").getDomAttribute("data-status");
            seen.add(status);
            return "SUCCESS".equals(status) || "FAILED".equals(status) ? status : null;
        });
        assertEquals("SUCCESS", browser.find("#run-card").getDomAttribute("data-status"), "statuses: " + seen);
        assertTrue(seen.contains("QUEUED") || seen.contains("RUNNING"), "seen while running: " + seen);
        List<WebElement> steps = browser.all("#steps-table tbody tr");
        assertFalse(steps.isEmpty(), "the run's steps are shown");
        assertTrue(
                steps.stream().allMatch(s -> s.getText().contains("SUCCESS")),
                steps.stream().map(WebElement::getText).collect(Collectors.joining(" | ")));
        browser.visible("#runs-table tbody tr");
        browser.screenshot("pipelines", Browser.DESKTOP, 1400);
    }

    @Test
    @Order(6)
    void theMonitoringPageChartsTheDashboardsRowsAfterTheDailyPipelineAndABackfill() throws Exception {
        runThroughThePipeline("daily", "{}");
        runThroughThePipeline("monitoring", "{\"backfill\": \"true\"}");

        // the endpoint serves what the dashboards' SQL returns from the database
        JsonPath charts = given().get("/monitoring/charts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                rows(DashboardQuery.DAILY_RATINGS),
                charts.getList("daily.ratings").size());
        assertEquals(
                rows(DashboardQuery.PSI_GENRE),
                charts.getList("drift.psi_genre").size());
        assertEquals(
                Math.min(50, rows(DashboardQuery.RECENT_RUNS)),
                charts.getList("runs").size(),
                "the last 50 runs");
        int months = charts.getList("monthly.ratings").size();
        assertTrue(months >= 12, "a year of monthly KPIs at least: " + months);
        List<Float> monthly = charts.getList("monthly.ratings.value", Float.class);
        assertEquals(
                monthly.stream().filter(v -> v > 0).count(),
                charts.getList("monthly.mean_rating").size(),
                "a mean for each month with ratings (the new user's ratings of today leave empty months since 2015)");
        assertTrue(charts.getList("daily.active_users").size() > 300, "daily active users");
        assertEquals(0.1, charts.getDouble("drift.stable_below"));
        assertEquals(0.25, charts.getDouble("drift.strong_above"));
        assertTrue(charts.getList("runs.kind").containsAll(List.of("daily", "monitoring")));
        assertEquals("SUCCESS", charts.getString("runs[0].status"));
        assertTrue(charts.getDouble("runs[0].seconds") >= 0);

        browser.open("/#monitoring");
        assertEquals(200, given().get("/webjars/uplot/dist/uPlot.esm.js").statusCode(), "uPlot from its WebJar");
        for (String chart : List.of("daily", "monthly", "drift", "runs")) {
            browser.visibleAll("#chart-" + chart + " .uplot canvas");
        }
        assertEquals(
                Integer.toString(charts.getList("daily.ratings").size()),
                browser.find("#chart-daily").getDomAttribute("data-points"),
                "one x value a day");
        String legend = browser.find("#chart-drift .u-legend").getText();
        assertTrue(legend.contains("stable below 0.1") && legend.contains("strong drift above 0.25"), legend);
        assertTrue(browser.find("#chart-daily .u-legend").getText().contains("mean rating"));
        String kpis = browser.visible("#monitoring-kpis").getText();
        List<String> days = charts.getList("daily.ratings.time");
        assertTrue(kpis.contains(days.get(days.size() - 1)), "the latest day: " + kpis);
        List<WebElement> runs = browser.all("#monitoring-runs-table tbody tr");
        assertEquals(charts.getList("runs").size(), runs.size());
        assertTrue(runs.get(0).getText().contains("SUCCESS"), runs.get(0).getText());
    }

    @Test
    @Order(7)
    void latencyRequestRateAndFiringAlertsComeThroughPrometheusAndItsAbsenceIsNoError() throws Exception {
        // nothing listens on the configured port yet: honest "unavailable", still ready, no 500
        JsonPath ready = given().get("/ready").then().statusCode(200).extract().jsonPath();
        assertEquals("ready", ready.getString("status"));
        assertEquals("unavailable", ready.getString("checks.alerts.status"));
        assertFalse(ready.getBoolean("checks.alerts.up"));
        JsonPath down = given().get("/monitoring/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertFalse(down.getBoolean("available"));
        assertTrue(down.getString("detail").contains("could not be reached"), down.getString("detail"));
        browser.open("/#monitoring");
        String note = browser.visible("#serving-messages .msg-info").getText();
        assertTrue(note.startsWith("Prometheus unavailable"), note);

        Process prometheus = startPrometheus();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        for (int i = 0; i < 20; i++) {
                            given().get("/recommend?user_id=" + (1 + i)).then().statusCode(200);
                        }
                        JsonPath p = given().get("/monitoring/prometheus").jsonPath();
                        return p.getBoolean("available")
                                && p.getList("recommend_p99").size() >= 3
                                && p.getList("request_rate").size() >= 3
                                && p.getList("alerts.name").contains("WebDemoTestAlert");
                    });
            JsonPath up = given().get("/monitoring/prometheus").jsonPath();
            assertTrue(up.getDouble("recommend_p99[-1].value") > 0, "a p99 in seconds");
            assertTrue(up.getDouble("request_rate[-1].value") > 0, "requests per second");
            assertEquals("warning", up.getString("alerts[0].severity"));

            ready = given().get("/ready").then().statusCode(200).extract().jsonPath();
            assertEquals("ready", ready.getString("status"), "a firing alert is no readiness failure");
            assertEquals("firing", ready.getString("checks.alerts.status"));
            assertTrue(ready.getString("checks.alerts.detail").contains("WebDemoTestAlert (warning)"));

            browser.find("#monitoring-refresh").click(); // the same page: asked again, not reloaded
            browser.visibleAll("#chart-latency .uplot canvas");
            browser.visibleAll("#chart-rate .uplot canvas");
            String alerts = browser.visible("#alerts-table").getText();
            assertTrue(alerts.contains("WebDemoTestAlert") && alerts.contains("always firing"), alerts);
            assertTrue(browser.find("#chart-latency .u-legend").getText().contains("p99"));
            browser.screenshot("monitoring", Browser.DESKTOP, 2000);
        } finally {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    /** A real Prometheus scraping this app every second, with one rule that always fires. */
    private Process startPrometheus() throws Exception {
        Path dir = Path.of("target", "web-demo", "prometheus").toAbsolutePath();
        Path data = dir.resolve("data");
        if (Files.exists(data)) { // no series from an earlier run
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: web-demo-test
                    rules:
                      - alert: WebDemoTestAlert
                        expr: vector(1)
                        labels:
                          severity: warning
                        annotations:
                          summary: always firing, for the web demo test
                """);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                scrape_configs:
                  - job_name: reco-films
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['%s:%d']
                """.formatted(base.getHost(), base.getPort()));
        return new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runThroughThePipeline(String kind, String body) {
        String runId = given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body(body)
                .post("/pipelines/" + kind)
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("run_id");
        Awaitility.await()
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Set.of("SUCCESS", "FAILED")
                        .contains(given().get("/pipelines/runs/" + runId)
                                .jsonPath()
                                .getString("status")));
        assertEquals(
                "SUCCESS", given().get("/pipelines/runs/" + runId).jsonPath().getString("status"), kind + " run");
    }

    private int rows(DashboardQuery query) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query.sql())) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }

    /** The first dataset user whom the model serves with item-kNN. */
    private static int userServedByTheModel() {
        for (int user = 1; user <= 50; user++) {
            if ("item_cf"
                    .equals(given().get("/recommend?user_id=" + user).jsonPath().getString("strategy"))) {
                return user;
            }
        }
        throw new AssertionError("no user among the first 50 gets item_cf recommendations");
    }

    private static List<String> texts(List<WebElement> elements, String css) {
        return elements.stream()
                .map(e -> e.findElement(By.cssSelector(css)).getText())
                .toList();
    }

    private static List<String> movieIds(List<WebElement> recs) {
        return recs.stream().map(e -> e.getDomAttribute("data-movie-id")).toList();
    }
}
