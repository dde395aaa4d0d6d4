package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RepositoryRoot;

/**
 * The launcher as a user runs it ({@code java -jar launcher/target/reco-films-launcher.jar}, the
 * packaged app, real PostgreSQL, broker and MLflow), with each of its children killed by SIGKILL:
 * the broker and MLflow are restarted and said so; PostgreSQL's or the app's death stops everything
 * with a non-zero exit; a killed launcher leaves nothing running.
 */
class LauncherIT {

    private static final Path LAUNCHER = RepositoryRoot.path().resolve("launcher/target/reco-films-launcher.jar");
    private static final Path APP =
            Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final Path WORK = Path.of("target/launcher-it").toAbsolutePath();
    private static final Duration START = Duration.ofMinutes(4);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Launched> launched = new ArrayList<>();

    /** A running launcher and everything it printed. */
    private static final class Launched {
        final Process process;
        final Path home;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Launched(Process process, Path home) {
            this.process = process;
            this.home = home;
            Thread reader = new Thread(this::read, "launcher-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the launcher is gone
            }
        }

        /** Waits for a line matching {@code regex}; returns its match. */
        Matcher await(String regex, Duration limit) throws InterruptedException {
            Pattern pattern = Pattern.compile(regex);
            long deadline = System.nanoTime() + limit.toNanos();
            int seen = 0;
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (; seen < lines.size(); seen++) {
                        Matcher m = pattern.matcher(lines.get(seen));
                        if (m.find()) {
                            return m;
                        }
                    }
                }
                if (!process.isAlive() && seen == lines.size()) {
                    Thread.sleep(200); // the reader may still be draining
                    if (seen == lines.size()) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the launcher never printed /" + regex + "/; its [local] lines:\n"
                    + String.join(
                            "\n",
                            lines.stream()
                                    .filter(l -> l.startsWith("[local]") || l.startsWith("    |"))
                                    .toList()));
        }

        long pid(String name) throws IOException {
            Properties pids = new Properties();
            try (var in = Files.newInputStream(home.resolve("pids.properties"))) {
                pids.load(in);
            }
            return Long.parseLong(pids.getProperty(name));
        }

        long postmasterPid() throws IOException {
            return Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid"))
                    .get(0)
                    .trim());
        }
    }

    private Launched launch(String name, String... options) throws IOException {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER + " is built by the launcher module");
        assertTrue(Files.isRegularFile(APP), APP + " is built by the package phase");
        Path home = WORK.resolve(name);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                LAUNCHER.toString(),
                "--home=" + home,
                "--app=" + APP,
                "--topics=" + RepositoryRoot.topicsFile(),
                "--http-port=0",
                "--pipeline=off"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command)
                .directory(RepositoryRoot.path().toFile())
                .redirectErrorStream(true)
                .start();
        Launched l = new Launched(p, home);
        launched.add(l);
        return l;
    }

    @AfterEach
    void stopLaunchers() throws InterruptedException {
        for (Launched l : launched) {
            if (l.process.isAlive()) {
                l.process.destroy(); // its shutdown hook stops what it started
                if (!l.process.waitFor(60, TimeUnit.SECONDS)) {
                    l.process.destroyForcibly();
                }
            }
        }
    }

    @Test
    void restartsTheBrokerAndMlflowAndStopsEverythingWhenTheAppDies() throws Exception {
        boolean mlflow = LocalMlflow.executable(true).isPresent();
        Launched l = launch("children", mlflow ? "--mlflow=auto" : "--mlflow=off");
        String base = l.await("API\\s+(http://localhost:\\d+)", START).group(1);
        assertReady(base);

        long broker = l.pid("kafka");
        ProcessHandle.of(broker).orElseThrow().destroyForcibly();
        l.await(
                "\\[local\\] kafka \\(pid " + broker + "\\) exited with code 137: killed by signal 9 \\(SIGKILL\\);"
                        + " its last log lines:",
                Duration.ofSeconds(30));
        l.await("^    \\| .*Kafka Server started", Duration.ofSeconds(5));
        l.await("\\[local\\] restarting kafka in 1.0 s \\(attempt 1 of 3\\)", Duration.ofSeconds(10));
        long newBroker = Long.parseLong(
                l.await("\\[local\\] kafka restarted \\(pid (\\d+)", START).group(1));
        assertNotEquals(broker, newBroker);
        assertTrue(alive(newBroker), "the new broker runs");
        assertReady(base);

        if (mlflow) {
            long server = l.pid("mlflow");
            ProcessHandle.of(server).orElseThrow().destroyForcibly();
            l.await("\\[local\\] mlflow \\(pid " + server + "\\) exited with code 137", Duration.ofSeconds(30));
            l.await("\\[local\\] restarting mlflow in 1.0 s \\(attempt 1 of 3\\)", Duration.ofSeconds(10));
            long newServer = Long.parseLong(
                    l.await("\\[local\\] mlflow restarted \\(pid (\\d+)", START).group(1));
            assertTrue(alive(newServer), "the new MLflow server runs");
        }

        long postgres = l.postmasterPid();
        long app = l.pid("app");
        assertTrue(alive(app), "the app runs");
        assertTrue(ProcessHandle.of(app).orElseThrow().destroyForcibly(), "SIGKILL sent to the app");
        awaitGone(app, "SIGKILL");
        l.await(
                "\\[local\\] app \\(pid " + app + "\\) exited with code 137: killed by signal 9",
                Duration.ofSeconds(30));
        l.await("\\[local\\] app is vital: stopping everything", Duration.ofSeconds(5));
        assertTrue(l.process.waitFor(90, TimeUnit.SECONDS), "the launcher exits");
        assertEquals(1, l.process.exitValue(), "a dead app ends the launcher with a failure");
        assertFalse(alive(newBroker), "the broker is stopped");
        assertFalse(alive(postgres), "PostgreSQL is stopped");
    }

    @Test
    void aKilledLauncherLeavesNothingAndPostgresDeathStopsEverything() throws Exception {
        Launched first = launch("postgres", "--mlflow=off");
        first.await("reco-films ready", START);
        String key = first.await("operator key\\s+(\\S+)\\s+\\(header X-API-Key\\)", Duration.ofSeconds(10))
                .group(1);
        Path keyFile = first.home.resolve("operator-key");
        assertEquals(key, Files.readString(keyFile).strip(), "the key is kept in the home folder");
        assertEquals(
                PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(keyFile),
                "readable by its owner only");
        int port = Integer.parseInt(first.await("API\\s+http://localhost:(\\d+)", Duration.ofSeconds(10))
                .group(1));
        first.await("listening on\\s+127.0.0.1 only", Duration.ofSeconds(10));
        assertListensOnLoopbackOnly(port);
        long app = first.pid("app");
        long broker = first.pid("kafka");
        long postgres = first.postmasterPid();
        first.process.destroyForcibly();
        awaitGone(app, "the app watches its parent (reco.local.parent-pid)");
        awaitGone(broker, "the broker's orphan guard stops it");
        awaitGone(postgres, "PostgreSQL's orphan guard stops it");

        Launched second = launch("postgres", "--mlflow=off");
        second.await("reco-films ready", START);
        assertEquals(
                key,
                second.await("operator key\\s+(\\S+)\\s+\\(header X-API-Key\\)", Duration.ofSeconds(10))
                        .group(1),
                "a restart keeps the operator key");
        long postmaster = second.postmasterPid();
        long secondApp = second.pid("app");
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
        second.await(
                "\\[local\\] postgres \\(pid " + postmaster + "\\) is gone \\(its exit status cannot be known",
                Duration.ofSeconds(30));
        second.await("\\[local\\] postgres is vital: stopping everything", Duration.ofSeconds(5));
        assertTrue(second.process.waitFor(90, TimeUnit.SECONDS), "the launcher exits");
        assertEquals(1, second.process.exitValue(), "a dead PostgreSQL ends the launcher with a failure");
        assertFalse(alive(secondApp), "the app is stopped");
    }

    private void assertReady(String base) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int status = -1;
        while (System.nanoTime() < deadline) {
            try {
                status =
                        http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(base + "/ready answered " + status + ", not 200");
    }

    /** The app answers on 127.0.0.1 and refuses connections on this machine's other addresses. */
    private static void assertListensOnLoopbackOnly(int port) throws IOException {
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .toList();
        for (InetAddress other : others) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(other, port), 2000);
                throw new AssertionError("the app answers on " + other + ":" + port + ", not on loopback only");
            } catch (ConnectException expected) {
                // refused: nothing listens there
            }
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitGone(long pid, String why) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertFalse(alive(pid), "pid " + pid + " still runs: " + why);
    }
}
