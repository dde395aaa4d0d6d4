package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.launcher.PythonTools;
import org.recofilms.platform.DvcHash;
import org.recofilms.platform.RecoConfig;
import org.yaml.snakeyaml.Yaml;

/** The project's dataset version equals what the real {@code dvc add} writes for the same directory. */
class DvcHashTest {

    /** The DVC release the comparison pins. */
    static final String DVC_VERSION = "3.67.1";

    @TempDir
    Path tmp;

    @Test
    void emptyDirectoryHashIsDvcs() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(
                "d751713988987e9331980363e24189ce.dir", DvcHash.directory(empty).md5());
    }

    @Test
    void generatedDatasetHashMatchesRealDvc() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path raw = repo.resolve("raw");
        MovieLensGenerator.generate(GeneratorConfig.tiny(), raw);
        Files.createDirectories(raw.resolve("extra"));
        Files.writeString(raw.resolve("extra").resolve("README.txt"), "nested files count too\n");

        DvcHash.DirVersion ours = DvcHash.directory(raw);
        Path ourPointer = DvcHash.writePointer(repo.resolve("ours.dvc"), raw, ours);
        Map<String, Object> ourOut = out(Files.readString(ourPointer));
        Files.delete(ourPointer);

        Path dvc = PythonTools.tool("dvc", DVC_VERSION, "dvc", true)
                .orElseThrow(() -> new AssertionError("dvc could not be installed with pip"));
        run(repo, dvc.toString(), "init", "--no-scm", "-q");
        run(repo, dvc.toString(), "add", "-q", "raw");
        Map<String, Object> dvcOut = out(Files.readString(repo.resolve("raw.dvc")));

        assertEquals(dvcOut.get("md5"), ours.md5());
        assertEquals(dvcOut, ourOut, "the pointer file has the fields dvc writes");
        assertEquals(7, ours.nfiles());
        assertTrue(ours.size() > 0);
    }

    @Test
    void singleFilePointerMatchesRealDvc() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("filerepo"));
        Path file = repo.resolve("training_set.parquet");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 'P', 'A', 'R', '1'});
        Path ours = DvcHash.writeFilePointer(file, DvcHash.md5(file));
        Map<String, Object> ourOut = out(Files.readString(ours));
        Files.delete(ours);

        Path dvc = PythonTools.tool("dvc", DVC_VERSION, "dvc", true)
                .orElseThrow(() -> new AssertionError("dvc could not be installed with pip"));
        run(repo, dvc.toString(), "init", "--no-scm", "-q");
        run(repo, dvc.toString(), "add", "-q", "training_set.parquet");
        assertEquals(out(Files.readString(repo.resolve("training_set.parquet.dvc"))), ourOut);
    }

    @Test
    void enabledDvcCommitsAndPushesTheProjectsPointer() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path raw = repo.resolve("data").resolve("raw");
        MovieLensGenerator.generate(GeneratorConfig.tiny(), raw);
        Path dvc = PythonTools.tool("dvc", DVC_VERSION, "dvc", true)
                .orElseThrow(() -> new AssertionError("dvc could not be installed with pip"));
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        run(repo, dvc.toString(), "init", "--no-scm", "-q");
        run(repo, dvc.toString(), "remote", "add", "-d", "storage", remote.toString());

        DvcHash.DirVersion version = DvcHash.directory(raw);
        Path pointer = DvcHash.writePointer(repo.resolve("data.dvc"), raw, version);
        Dvc.commitAndPush(
                new RecoConfig.Dvc() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public boolean push() {
                        return true;
                    }

                    @Override
                    public String command() {
                        return dvc.toString();
                    }
                },
                pointer);

        assertEquals("data/raw", out(Files.readString(pointer)).get("path"));
        assertEquals(version.md5(), out(Files.readString(pointer)).get("md5"), "dvc commit kept our version");
        String dirObject = version.md5().substring(0, 2) + "/" + version.md5().substring(2);
        assertTrue(Files.exists(remote.resolve("files").resolve("md5").resolve(dirObject)), "pushed to the remote");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> out(String pointer) {
        Map<String, Object> doc = new Yaml().load(pointer);
        return ((List<Map<String, Object>>) doc.get("outs")).get(0);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "dvc timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
    }
}
