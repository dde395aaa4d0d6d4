package org.recofilms.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real Python tools (MLflow, DVC) for the launcher and the tests, each in its own virtualenv under
 * ~/.cache/reco-films (made once with pip, pinned, then reused). Empty when Python or the package
 * index cannot provide them.
 */
public final class PythonTools {

    private PythonTools() {}

    /** The virtualenv for {@code name} at {@code version}. */
    public static Path venv(String name, String version) {
        return Path.of(System.getProperty("user.home"), ".cache", "reco-films", name + "-" + version);
    }

    /**
     * The executable {@code command} of package {@code name}=={@code version}, installing it when
     * absent and {@code install} is set.
     */
    public static Optional<Path> tool(String name, String version, String command, boolean install) {
        Path venv = venv(name, version);
        Path executable = venv.resolve("bin").resolve(command);
        if (Files.isExecutable(executable)) {
            return Optional.of(executable);
        }
        if (!install) {
            return Optional.empty();
        }
        try {
            System.err.println("[local] installing " + name + " " + version + " into " + venv + " (once)");
            Files.createDirectories(venv.getParent());
            run(List.of("python3", "-m", "venv", venv.toString()), Duration.ofMinutes(2));
            run(
                    List.of(venv.resolve("bin").resolve("pip").toString(), "install", "--quiet", name + "==" + version),
                    Duration.ofMinutes(15));
            return Files.isExecutable(executable) ? Optional.of(executable) : Optional.empty();
        } catch (IOException e) {
            System.err.println("[local] " + name + " is not available: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static void run(List<String> command, Duration limit) throws IOException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took longer than " + limit);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
