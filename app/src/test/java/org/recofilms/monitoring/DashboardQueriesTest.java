package org.recofilms.monitoring;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.BadRows;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.pipeline.TrainAndPromote;

/**
 * The provisioned dashboards and alerts against the running app: every SQL query of every panel
 * runs on a database filled by a real ingestion of generated data (with rejected lines), a real
 * training and promotion, and a monitoring backfill run by the pipeline, and returns rows; every
 * metric a Prometheus panel or alert reads is in /q/metrics.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(DashboardQueriesTest.AnyDatasetSize.class)
class DashboardQueriesTest {

    /** Earlier tests may have loaded far more ratings than this one does; pipelines need an operator. */
    public static class AnyDatasetSize implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reco.ingestion.row-count-tolerance", "1000", "reco.security.operator-api-key", KEY);
        }
    }

    private static final String KEY = "dashboards-operator";

    /**
     * Written by Prometheus itself, not by the app: {@code up} is the scrape's own series.
     */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");

    private static boolean loaded;

    @Inject
    IngestionService ingestion;

    @Inject
    TrainAndPromote trainAndPromote;

    @Inject
    DataMonitoringService monitoring;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void fillTheDatabaseOnce() throws Exception {
        if (loaded) {
            return;
        }
        Path dir = Files.createTempDirectory("dashboards");
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(808)
                        .users(200)
                        .movies(800)
                        .ratings(20_000)
                        .tags(600)
                        .genomeMovies(100)
                        .genomeTags(30)
                        .build()
                        .withBadRows(BadRows.eachKind(2)),
                dir);
        IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), dir.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        TrainAndPromote.Result trained = trainAndPromote.run(UUID.randomUUID());
        assertTrue(trained.succeeded(), trained.error());
        backfillThroughThePipeline();
        monitoring.run(LocalDate.of(2015, 3, 30));
        loaded = true;
    }

    @Test
    void everySqlQueryOfEveryPanelRunsAndReturnsRows() throws SQLException {
        List<Dashboards.Query> sql =
                Dashboards.queries().stream().filter(Dashboards.Query::isSql).toList();
        assertTrue(sql.size() >= 50, "SQL panels found: " + sql.size());
        List<String> failures = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true); // Grafana reads with a read-only role
            try {
                for (Dashboards.Query query : sql) {
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery(Dashboards.expandMacros(query.text()))) {
                        if (!rs.next()) {
                            failures.add(query.where() + ": no rows");
                        } else if (query.format().equals("time_series") && !hasColumn(rs.getMetaData(), "time")) {
                            failures.add(query.where() + ": a time series needs a column named time");
                        }
                    } catch (SQLException e) {
                        failures.add(query.where() + ": " + e.getMessage());
                    }
                }
            } finally {
                c.setReadOnly(false);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void everyMetricOfAPrometheusPanelOrAlertIsExposed() {
        // one answer per route the dashboards follow, so that the request histograms exist
        int user = anyUser();
        given().queryParam("user_id", user).get("/recommend").then().statusCode(200);
        given().queryParam("user_id", "x").get("/recommend").then().statusCode(400);
        given().get("/movies/popular").then().statusCode(200);
        String exposition =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> exposed = new TreeSet<>();
        exposition
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> exposed.add(l.split("[{ ]", 2)[0]));

        Set<String> read = new TreeSet<>();
        Dashboards.queries().stream()
                .filter(q -> !q.isSql())
                .forEach(q -> read.addAll(Dashboards.metricNames(q.text())));
        Dashboards.ruleExpressions().forEach(e -> read.addAll(Dashboards.metricNames(e)));
        assertTrue(
                read.contains("reco_monitoring_psi") && read.contains("http_server_requests_seconds_bucket"),
                "read: " + read);

        Set<String> missing = new TreeSet<>(read);
        missing.removeAll(exposed);
        missing.removeAll(FROM_PROMETHEUS);
        assertTrue(missing.isEmpty(), "read by dashboards or alerts but not in /q/metrics: " + missing);
        assertTrue(
                exposition.contains("http_server_requests_seconds_bucket{")
                        && exposition.contains("uri=\"/recommend\""),
                "the /recommend latency histogram");
        assertTrue(
                exposition.contains("reco_monitoring_psi{metric=\"psi_rating_prev_month\",period_type=\"monthly\"}"),
                "the PSI gauge with its tags");
    }

    private int anyUser() {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT \"userId\" FROM raw.raw_ratings GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")) {
            assertTrue(rs.next());
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** A real monitoring pipeline run: its run and step rows, and the pipeline metrics. */
    private void backfillThroughThePipeline() {
        String runId = given().header("X-API-Key", KEY)
                .contentType("application/json")
                .body("{\"backfill\": \"true\"}")
                .post("/pipelines/monitoring")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("run_id");
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Set.of("SUCCESS", "FAILED")
                        .contains(given().get("/pipelines/runs/" + runId)
                                .jsonPath()
                                .getString("status")));
        given().get("/pipelines/runs/" + runId).then().statusCode(200).body("status", equalTo("SUCCESS"));
    }

    private static boolean hasColumn(ResultSetMetaData meta, String name) throws SQLException {
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equals(name)) {
                return true;
            }
        }
        return false;
    }
}
