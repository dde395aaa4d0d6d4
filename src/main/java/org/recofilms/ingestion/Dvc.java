package org.recofilms.ingestion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.recofilms.platform.RecoConfig;

/**
 * Runs the real {@code dvc add} (and {@code dvc push}) on the raw data directory when enabled. The
 * dataset version itself never depends on it: {@link DvcHash} computes it the same way.
 */
final class Dvc {

    private static final Logger LOG = Logger.getLogger(Dvc.class);

    private Dvc() {}

    static void addAndPush(RecoConfig.Dvc dvc, Path dir) {
        if (!dvc.enabled()) {
            return;
        }
        Path workDir = dir.toAbsolutePath().getParent();
        run(List.of(dvc.command(), "add", dir.getFileName().toString()), workDir);
        if (dvc.push()) {
            run(List.of(dvc.command(), "push", dir.getFileName() + ".dvc"), workDir);
        }
    }

    private static void run(List<String> command, Path workDir) {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IngestionException(String.join(" ", command) + " failed: " + output.strip());
            }
            LOG.infof("%s: %s", String.join(" ", command), output.strip());
        } catch (IOException e) {
            throw new IngestionException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestionException("interrupted", e);
        }
    }
}
