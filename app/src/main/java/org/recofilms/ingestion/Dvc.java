package org.recofilms.ingestion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.recofilms.platform.DvcHash;
import org.recofilms.platform.RecoConfig;

/**
 * Runs the real DVC on a pointer the project wrote, when enabled: {@code dvc commit} stores the
 * files in the DVC cache under the version {@link DvcHash} computed (the same one DVC computes),
 * {@code dvc push} sends them to the default remote. The pointer's folder must be inside a DVC
 * repository (the repository root holds .dvc/ and data.dvc).
 */
final class Dvc {

    private static final Logger LOG = Logger.getLogger(Dvc.class);

    private Dvc() {}

    static void commitAndPush(RecoConfig.Dvc dvc, Path pointer) {
        if (!dvc.enabled()) {
            return;
        }
        Path workDir = pointer.toAbsolutePath().getParent();
        String target = pointer.getFileName().toString();
        run(List.of(dvc.command(), "commit", "--force", "--quiet", target), workDir);
        if (dvc.push()) {
            run(List.of(dvc.command(), "push", "--quiet", target), workDir);
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
            LOG.infof("%s in %s: done %s", String.join(" ", command), workDir, output.strip());
        } catch (IOException e) {
            throw new IngestionException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestionException("interrupted", e);
        }
    }
}
