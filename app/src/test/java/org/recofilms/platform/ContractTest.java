package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.launcher.PythonTools;
import org.recofilms.local.RealServicesResource;
import org.recofilms.pipeline.TrainAndPromote;

/**
 * The OpenAPI document at /q/openapi is true: schemathesis (from PyPI, pinned, in a virtualenv of
 * its own) runs every check it has against the app on the real PostgreSQL and Kafka, with a model
 * served, and any failure fails the test with schemathesis's report. It runs without the operator
 * key, so the operator endpoints are checked as declared: 401 without a key. With
 * {@code -Dcontract.operator=true} (by hand: it triggers real pipeline runs) schemathesis sends the
 * key, and the operator endpoints are checked past authentication.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(ContractTest.OwnModel.class)
class ContractTest {

    /** The schemathesis release this contract was checked with. */
    static final String SCHEMATHESIS_VERSION = "4.32.5";

    static final String KEY = "contract-test-operator-key";

    /** The generated dataset, also the source of the ingestions schemathesis triggers with the key. */
    static final Path DATA = Path.of("target", "contract-data").toAbsolutePath();

    /** A model name of its own, small data. */
    public static class OwnModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "reco.security.operator-api-key", KEY,
                    "reco.ingestion.source", DATA.toString(),
                    "reco.registry.model-name", "reco-films-itemcf-contract-test",
                    "reco.ingestion.row-count-tolerance", "1000",
                    "reco.training.full-ranking", "false");
        }
    }

    @TestHTTPResource("/q/openapi")
    URL openapi;

    @Inject
    IngestionService ingestion;

    @Inject
    TrainAndPromote trainAndPromote;

    @Inject
    MovieCatalog catalog;

    @Inject
    DataSource db;

    @Test
    void schemathesisFindsNoFailureWithEveryCheck() throws Exception {
        Path dir = Files.createDirectories(DATA);
        MovieLensGenerator.generate(
                GeneratorConfig.demo().toBuilder()
                        .randomSeed(1414)
                        .ratings(30_000)
                        .users(300)
                        .movies(600)
                        .build(),
                dir);
        IngestionResult ingested = ingestion.ingest(UUID.randomUUID(), dir.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, ingested.status(), ingested.error());
        TrainAndPromote.Result trained = trainAndPromote.run(UUID.randomUUID());
        assertTrue(trained.succeeded(), trained.error());
        catalog.refresh().await().atMost(Duration.ofSeconds(30));

        Path schemathesis = PythonTools.tool("schemathesis", SCHEMATHESIS_VERSION, "schemathesis", true)
                .orElseThrow(() -> new AssertionError("schemathesis could not be installed with pip"));
        Path out = Path.of("target", "schemathesis");
        Files.createDirectories(out);
        Path report = out.resolve("report.txt");
        long started = System.currentTimeMillis() / 1000;
        List<String> command = new ArrayList<>(List.of(schemathesis.toString()));
        // a global option: before the command
        command.addAll(List.of(
                "--config-file",
                Path.of("src", "test", "resources", "schemathesis.toml").toString()));
        command.addAll(List.of(
                "run",
                "--checks",
                "all",
                "--max-examples",
                // 25 keeps the test within a minute; -Dcontract.max-examples=100 is schemathesis's default
                Integer.toString(Integer.getInteger("contract.max-examples", 25)),
                "--workers",
                "1",
                "--seed",
                "20260",
                "--no-color",
                "--request-timeout",
                "30"));
        if (Boolean.getBoolean("contract.operator")) {
            command.addAll(List.of("-H", "X-API-Key: " + KEY));
        }
        command.add(openapi.toString());
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(report.toFile())
                .start();
        try {
            boolean ended = p.waitFor(10, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly();
            }
            String text = Files.readString(report, StandardCharsets.UTF_8);
            System.out.println(text);
            assertTrue(ended, "schemathesis took longer than 10 minutes:\n" + text);
            assertEquals(0, p.exitValue(), "schemathesis found failures:\n" + text);
        } finally {
            // the ratings schemathesis stored are of made-up users: leave the shared database as it was
            try (Connection c = db.getConnection();
                    PreparedStatement delete =
                            c.prepareStatement("DELETE FROM raw.feedback_ratings WHERE \"timestamp\" >= ?")) {
                delete.setLong(1, started);
                delete.executeUpdate();
            }
        }
    }
}
