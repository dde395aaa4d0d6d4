package org.recofilms.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process started by the launcher or the tests, stopped with its whole process tree. Its output
 * goes to a log file, or is echoed to this process's output with the last lines kept in memory, so
 * that either way a death can be reported with what the process said last.
 */
public final class ChildProcess implements AutoCloseable, Supervisor.Watched {

    private static final int KEPT_LINES = 200;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path log;
    private final Deque<String> echoed = new ArrayDeque<>();
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile List<ProcessHandle> lastDescendants = List.of();

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        // One future per process, completed by a thread of its own: Process.onExit() returns a new
        // future at each call, completed later on the common pool (a single thread on 2 cores).
        Thread waiter = new Thread(
                () -> {
                    try {
                        process.waitFor();
                        exit.complete(process);
                    } catch (InterruptedException e) {
                        exit.completeExceptionally(e);
                    }
                },
                name + "-exit");
        waiter.setDaemon(true);
        waiter.start();
    }

    /**
     * Starts {@code command} with its output appended to {@code log}, or, when {@code log} is null,
     * echoed line by line to this process's standard output.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ownSession(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        if (log != null) {
            Files.createDirectories(log.getParent());
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        ChildProcess child = new ChildProcess(name, builder.start(), log);
        if (log == null) {
            Thread pump = new Thread(child::echo, name + "-output");
            pump.setDaemon(true);
            pump.start();
        }
        return child;
    }

    /**
     * The command in a session of its own (util-linux {@code setsid}, which execs in place: same pid),
     * so that a terminal's Ctrl-C reaches only the launcher, which then stops its children in order;
     * otherwise a child could die of the signal first and be restarted as if it had crashed.
     */
    private static List<String> ownSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> inSession = new ArrayList<>(command.size() + 1);
        inSession.add(SETSID.toString());
        inSession.addAll(command);
        return inSession;
    }

    private void echo() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println(line);
                synchronized (echoed) {
                    echoed.addLast(line);
                    if (echoed.size() > KEPT_LINES) {
                        echoed.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    /** Completes when the process has exited. */
    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public String howItEnded() {
        return process.isAlive() ? "is running" : Supervisor.describeExit(process.exitValue());
    }

    @Override
    public void whileRunning() {
        rememberDescendants();
    }

    @Override
    public void afterDeath() {
        killLeftovers();
    }

    /** The last lines of its output, for error messages. */
    @Override
    public String logTail(int lines) {
        if (log == null) {
            synchronized (echoed) {
                return String.join(
                        "\n",
                        echoed.stream().skip(Math.max(0, echoed.size() - lines)).toList());
            }
        }
        return LogFiles.tail(log, lines);
    }

    /**
     * Remembers the process's descendants while it runs: when it dies abruptly they are re-parented
     * and no longer found through it, yet may still hold its port (MLflow's server workers).
     */
    void rememberDescendants() {
        if (process.isAlive()) {
            lastDescendants = process.descendants().toList();
        }
    }

    /** Kills what is left of the tree of a process that died: the descendants seen while it ran. */
    void killLeftovers() {
        for (ProcessHandle p : lastDescendants) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> p).join();
            }
        }
    }

    /** Whether a process being started is ready yet (listening, or saying so in its log). */
    @FunctionalInterface
    public interface ReadyCheck {
        boolean ready() throws IOException, InterruptedException;
    }

    /**
     * Asks {@code check} every {@code poll} until it says ready. Fails with the last log lines when the
     * process exits first ({@code WHAT exited at start}) or {@code limit} passes first
     * ({@code WHAT not STATE within LIMIT}), and on an interrupt.
     */
    public void awaitReady(String what, String state, Duration limit, Duration poll, ReadyCheck check)
            throws IOException {
        Instant deadline = Instant.now().plus(limit);
        try {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IOException(what + " exited at start:\n" + logTail(30));
                }
                if (check.ready()) {
                    return;
                }
                Thread.sleep(poll.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        throw new IOException(what + " not " + state + " within " + limit + ":\n" + logTail(30));
    }

    /**
     * {@link #awaitReady} until a GET of {@code uri} answers 200 (refused connections and other answers are
     * not ready yet); on failure the process is stopped before the exception is thrown.
     */
    public void awaitHttpOk(String what, String state, URI uri, Duration limit, Duration poll) throws IOException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest get =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        try {
            awaitReady(what, state, limit, poll, () -> {
                try {
                    return http.send(get, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (IOException e) {
            stop(Duration.ofSeconds(5));
            throw e;
        }
    }

    /** SIGTERM to the process and its descendants, then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("[local] " + name + " did not stop within " + grace + ": killing it");
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        killLeftovers();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
