package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's decisions on real processes (shell loops standing in for the services; the
 * real services are killed in the app module's LauncherIT): what it says, when it restarts, when it
 * gives up.
 */
class SupervisorTest {

    @TempDir
    Path dir;

    private final List<String> said = Collections.synchronizedList(new ArrayList<>());
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopChildren() {
        children.forEach(c -> c.stop(Duration.ofSeconds(2)));
    }

    private ChildProcess child(String name) throws Exception {
        ChildProcess p = ChildProcess.start(
                name,
                List.of("bash", "-c", "echo " + name + " started; exec sleep 600"),
                dir,
                Map.of(),
                dir.resolve(name + ".log"));
        children.add(p);
        return p;
    }

    private void awaitSaid(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            synchronized (said) {
                if (said.stream().anyMatch(s -> s.contains(fragment))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never said '" + fragment + "'; said: " + said);
    }

    @Test
    void restartsARestartableProcessAndNamesHowItDied() throws Exception {
        Supervisor supervisor = new Supervisor(said::add, Duration.ofMillis(10));
        AtomicReference<ChildProcess> broker = new AtomicReference<>(child("broker"));
        supervisor.watchVital(child("app"));
        supervisor.watchRestartable(broker.get(), () -> {
            broker.set(child("broker"));
            return broker.get();
        });
        CompletableFuture<Integer> outcome = CompletableFuture.supplyAsync(supervisor::run);
        Thread.sleep(1500); // the log line is written
        long first = broker.get().pid();
        broker.get().process().destroyForcibly();

        awaitSaid("broker (pid " + first + ") exited with code 137: killed by signal 9 (SIGKILL)");
        awaitSaid("    | broker started");
        awaitSaid("restarting broker in 0.01 s (attempt 1 of 3)");
        awaitSaid("broker restarted");
        assertNotEquals(first, broker.get().pid());
        assertTrue(broker.get().isAlive());
        assertTrue(!outcome.isDone(), "a restarted broker does not stop the launcher");

        supervisor.stop();
        assertEquals(0, outcome.get(10, TimeUnit.SECONDS), "a stop on purpose ends with 0");
    }

    @Test
    void givesUpAfterThreeRestartsInTheWindow() throws Exception {
        Supervisor supervisor = new Supervisor(said::add, Duration.ofMillis(10));
        AtomicReference<ChildProcess> mlflow = new AtomicReference<>(child("mlflow"));
        supervisor.watchRestartable(mlflow.get(), () -> {
            mlflow.set(child("mlflow"));
            return mlflow.get();
        });
        CompletableFuture<Integer> outcome = CompletableFuture.supplyAsync(supervisor::run);
        for (int restart = 1; restart <= Supervisor.MAX_RESTARTS; restart++) {
            ChildProcess current = mlflow.get();
            current.process().destroyForcibly();
            awaitSaid("mlflow restarted (pid "
                    + waitForReplacement(mlflow, current).pid());
        }
        mlflow.get().process().destroyForcibly();
        assertEquals(1, outcome.get(20, TimeUnit.SECONDS), "the fourth death stops the launcher");
        awaitSaid("mlflow died 4 times within 10 minutes: not restarting it again; stopping everything");
    }

    @Test
    void aFailedRestartIsRetriedWithDoublingWaitsThenStopsEverything() throws Exception {
        Supervisor supervisor = new Supervisor(said::add, Duration.ofMillis(10));
        ChildProcess broker = child("broker");
        supervisor.watchRestartable(broker, () -> {
            throw new java.io.IOException("port 9092 in use");
        });
        CompletableFuture<Integer> outcome = CompletableFuture.supplyAsync(supervisor::run);
        broker.process().destroy();

        assertEquals(1, outcome.get(20, TimeUnit.SECONDS));
        awaitSaid("exited with code 143: killed by signal 15 (SIGTERM)");
        awaitSaid("restarting broker in 0.01 s (attempt 1 of 3)");
        awaitSaid("restarting broker in 0.02 s (attempt 2 of 3)");
        awaitSaid("restarting broker in 0.04 s (attempt 3 of 3)");
        awaitSaid("restarting broker failed: port 9092 in use");
        awaitSaid("broker could not be restarted after 3 attempts: stopping everything");
    }

    @Test
    void aVitalDeathStopsEverythingWithItsExitCode() throws Exception {
        Supervisor supervisor = new Supervisor(said::add, Duration.ofMillis(10));
        ChildProcess app = ChildProcess.start(
                "app", List.of("bash", "-c", "echo failing to bind; sleep 1; exit 3"), dir, Map.of(), null);
        children.add(app);
        supervisor.watchVital(app);

        assertEquals(1, supervisor.run());
        assertTrue(said.get(0).startsWith("app (pid " + app.pid() + ") exited with code 3; its last log lines:"));
        assertTrue(said.get(0).contains("    | failing to bind"), "echoed output is kept for the report: " + said);
        awaitSaid("app is vital: stopping everything");
    }

    private static ChildProcess waitForReplacement(AtomicReference<ChildProcess> ref, ChildProcess old)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ref.get() == old && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return ref.get();
    }
}
