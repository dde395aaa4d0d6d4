package org.recofilms.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.recofilms.launcher.LocalMlflow;

/**
 * The registry contract against a real MLflow server (mlflow server --serve-artifacts from a pip
 * virtualenv, sqlite backend); {@link MlflowRegistryTest} adds what only MLflow has to prove.
 */
class MlflowContractTest extends ModelRegistryContract {

    private static LocalMlflow server;
    private static MlflowRegistry registry;

    @BeforeAll
    static void startServer() throws Exception {
        Path mlflow = LocalMlflow.executable(true)
                .orElseThrow(() -> new IllegalStateException("mlflow " + LocalMlflow.VERSION + " not installable"));
        server = LocalMlflow.start(mlflow, Files.createTempDirectory("mlflow-contract"), 0);
        registry = new MlflowRegistry(server.trackingUri());
    }

    @AfterAll
    static void stopServer() {
        if (registry != null) {
            registry.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected ModelRegistry registry() {
        return registry;
    }
}
