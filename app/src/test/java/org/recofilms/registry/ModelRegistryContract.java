package org.recofilms.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ModelRegistry} must do; each implementation's test extends it with a registry
 * backed by the real service (MLflow server, PostgreSQL).
 */
public abstract class ModelRegistryContract {

    @TempDir
    protected Path tmp;

    /** The registry under test. */
    protected abstract ModelRegistry registry();

    @Test
    void aRunKeepsItsParamsMetricsAndTags() {
        ModelRegistry r = registry();
        String run = r.createRun("reco-films/contract", "train_itemcf__k20__test", Map.of("git_commit", "abc123"));
        r.logParams(run, Map.of("k_neighbors", "20", "min_ratings", "50"));
        r.logMetrics(run, Map.of("ndcg_10", 0.5, "precision_10", 0.25));
        r.logMetrics(run, Map.of("ndcg_10", 0.625));
        r.setTags(run, Map.of("dataset_md5", "d751713988987e9331980363e24189ce.dir"));
        r.endRun(run, "FINISHED");

        RunInfo info = r.getRun(run);
        assertEquals("FINISHED", info.status());
        assertEquals("train_itemcf__k20__test", info.runName());
        assertEquals("20", info.params().get("k_neighbors"));
        assertEquals("50", info.params().get("min_ratings"));
        assertEquals(0.625, info.metrics().get("ndcg_10"), 1e-12, "the latest value of a metric");
        assertEquals(0.25, info.metrics().get("precision_10"), 1e-12);
        assertEquals("abc123", info.tags().get("git_commit"));
        assertEquals("d751713988987e9331980363e24189ce.dir", info.tags().get("dataset_md5"));
    }

    @Test
    void artifactsRoundTrip() throws Exception {
        ModelRegistry r = registry();
        String run = r.createRun("reco-films/contract", "artifacts", Map.of());
        byte[] big = new byte[2_000_000];
        new Random(3).nextBytes(big);
        Path neighbors = Files.write(tmp.resolve("item_neighbors.parquet"), big);
        Path descriptor = Files.writeString(tmp.resolve("model.json"), "{\"model\":\"item_cf\"}");
        r.logArtifact(run, "model/item_neighbors.parquet", neighbors);
        r.logArtifact(run, "model/meta/model.json", descriptor);
        r.endRun(run, "FINISHED");

        assertEquals(List.of("model/item_neighbors.parquet", "model/meta/model.json"), r.listArtifacts(run));
        Path back = tmp.resolve("back").resolve("n.parquet");
        r.downloadArtifact(run, "model/item_neighbors.parquet", back);
        assertArrayEquals(big, Files.readAllBytes(back));
        r.downloadArtifact(run, "model/meta/model.json", tmp.resolve("m.json"));
        assertEquals("{\"model\":\"item_cf\"}", Files.readString(tmp.resolve("m.json")));
    }

    @Test
    void theLatestVersionsComeNewestFirstWithTheirTags() {
        ModelRegistry r = registry();
        String model = "reco-films-contract-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(List.of(), r.latestModelVersions(model, 5), "no such model: no version");
        for (String family : List.of("itemknn", "ease", "ials")) {
            String run = r.createRun("reco-films/contract", family, Map.of());
            r.createModelVersion(model, run, "model", Map.of("family", family));
        }
        List<ModelVersion> latest = r.latestModelVersions(model, 2);
        assertEquals(List.of(3, 2), latest.stream().map(ModelVersion::version).toList());
        assertEquals("ials", latest.get(0).tags().get("family"));
        assertEquals("ease", latest.get(1).tags().get("family"));
    }

    @Test
    void versionsAreNumberedAndAliasesMove() {
        ModelRegistry r = registry();
        String model = "reco-films-contract-" + UUID.randomUUID().toString().substring(0, 8);
        String run1 = r.createRun("reco-films/contract", "v1", Map.of());
        String run2 = r.createRun("reco-films/contract", "v2", Map.of());
        ModelVersion v1 = r.createModelVersion(model, run1, "model", Map.of());
        ModelVersion v2 = r.createModelVersion(model, run2, "model", Map.of());
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals(run2, r.getModelVersion(model, 2).orElseThrow().runId());
        assertTrue(r.getModelVersion(model, 3).isEmpty());
        assertTrue(r.getByAlias(model, "production").isEmpty());

        r.setAlias(model, "production", 1);
        assertEquals(1, r.getByAlias(model, "production").orElseThrow().version());
        r.setAlias(model, "production", 2);
        assertEquals(run2, r.getByAlias(model, "production").orElseThrow().runId());
    }

    @Test
    void unknownRunsAreErrorsThatSayWhich() {
        RegistryException e =
                assertThrows(RegistryException.class, () -> registry().getRun("0".repeat(32)));
        assertTrue(
                e.getMessage().contains("0".repeat(32))
                        || e.getMessage().toLowerCase().contains("not found"),
                e.getMessage());
    }
}
