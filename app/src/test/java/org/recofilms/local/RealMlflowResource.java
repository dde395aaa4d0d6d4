package org.recofilms.local;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.recofilms.launcher.LocalMlflow;

/**
 * Points a @QuarkusTest's registry at a real MLflow server of its own (sqlite backend, artifacts through the
 * server's proxy), from the pinned virtualenv; stopped with the test class's Quarkus.
 */
public class RealMlflowResource implements QuarkusTestResourceLifecycleManager {

    private LocalMlflow server;

    @Override
    public Map<String, String> start() {
        try {
            Path mlflow = LocalMlflow.executable(true)
                    .orElseThrow(() -> new IllegalStateException("mlflow " + LocalMlflow.VERSION + " not installable"));
            long t0 = System.nanoTime();
            server = LocalMlflow.start(mlflow, Files.createTempDirectory("mlflow-quarkus-test"), 0);
            System.out.printf(
                    "[test-services] MLflow at %s, started in %d ms%n",
                    server.trackingUri(), (System.nanoTime() - t0) / 1_000_000);
            return Map.of("reco.mlflow.tracking-uri", server.trackingUri());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test MLflow server", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
