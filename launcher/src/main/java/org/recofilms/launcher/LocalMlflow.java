package org.recofilms.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real MLflow tracking server (sqlite backend, artifacts served through its proxy) from a Python
 * virtualenv ({@link PythonTools}); where Python cannot provide it, callers fall back to the app's
 * built-in registry.
 */
public final class LocalMlflow implements AutoCloseable {

    /** The MLflow release the tests and the launcher pin. */
    public static final String VERSION = "3.17.2";

    /**
     * The server's environment. MLflow 3 starts a job runner (huey consumers, about ten Python
     * processes of some 200 MB each) for its GenAI jobs, which the platform never submits: runs,
     * metrics, the registry and the artifact proxy work without it.
     */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "MLFLOW_DISABLE_TELEMETRY", "true",
            "DO_NOT_TRACK", "true",
            "MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");

    private final ChildProcess process;
    private final int port;

    private LocalMlflow(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The mlflow executable, installing it into its virtualenv when {@code install} and absent. */
    public static Optional<Path> executable(boolean install) {
        return PythonTools.tool("mlflow", VERSION, "mlflow", install);
    }

    /** Starts {@code mlflow server} with its store under {@code workDir} on {@code port} (0: any). */
    public static LocalMlflow start(Path mlflow, Path workDir, int port) throws IOException {
        Files.createDirectories(workDir.resolve("artifacts"));
        int chosen = FreePorts.pick(port);
        List<String> command = new ArrayList<>(List.of(
                mlflow.toString(),
                "server",
                "--backend-store-uri",
                "sqlite:///" + workDir.toAbsolutePath().resolve("mlflow.db"),
                "--serve-artifacts",
                "--artifacts-destination",
                workDir.toAbsolutePath().resolve("artifacts").toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(chosen),
                "--workers",
                "1"));
        ChildProcess server =
                ChildProcess.start("mlflow", command, workDir, ENVIRONMENT, workDir.resolve("mlflow.log"));
        OrphanGuard.watch("mlflow", server.pid());
        LocalMlflow started = new LocalMlflow(server, chosen);
        server.awaitHttpOk(
                "mlflow server",
                "healthy",
                URI.create(started.trackingUri() + "/health"),
                Duration.ofSeconds(120),
                Duration.ofMillis(250));
        return started;
    }

    public String trackingUri() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's process, for the launcher's supervision. */
    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
