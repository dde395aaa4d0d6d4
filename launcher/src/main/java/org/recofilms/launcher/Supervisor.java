package org.recofilms.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Watches the processes the launcher started and says when one dies: its name, pid, how it ended
 * and its last log lines. A restartable one (the broker, MLflow) is started again, at most
 * {@link #MAX_RESTARTS} times in {@link #RESTART_WINDOW}, waiting 1, 2, 4 s before the attempts;
 * when it cannot be, or when a vital one dies (PostgreSQL, the app), {@link #run} returns a non-zero
 * exit code so that the launcher stops everything.
 */
final class Supervisor {

    static final int MAX_RESTARTS = 3;
    static final Duration RESTART_WINDOW = Duration.ofMinutes(10);
    static final int LOG_LINES = 15;

    /** A process the supervisor watches. */
    interface Watched {
        String name();

        long pid();

        CompletableFuture<?> onExit();

        /** How it ended, e.g. "exited with code 1", "was killed by signal 9 (SIGKILL)". */
        String howItEnded();

        String logTail(int lines);

        /** Called about once a second while it runs. */
        default void whileRunning() {}

        /** Called once it has died, before a restart. */
        default void afterDeath() {}
    }

    /** Starts a dead process again; returns the new one. */
    interface Restart {
        Watched start() throws Exception;
    }

    private static final class Entry {
        Watched current;
        final Restart restart;
        final Deque<Instant> restarts = new ArrayDeque<>();

        Entry(Watched current, Restart restart) {
            this.current = current;
            this.restart = restart;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Consumer<String> say;
    private final Duration firstBackoff;

    Supervisor(Consumer<String> say, Duration firstBackoff) {
        this.say = say;
        this.firstBackoff = firstBackoff;
    }

    /** A process whose death stops everything. */
    synchronized void watchVital(Watched process) {
        entries.add(new Entry(process, null));
    }

    /** A process started again when it dies. */
    synchronized void watchRestartable(Watched process, Restart restart) {
        entries.add(new Entry(process, restart));
    }

    /** Ends {@link #run} with 0: the launcher is stopping on purpose (Ctrl-C), deaths are expected. */
    void stop() {
        stopped.complete(null);
    }

    boolean stopping() {
        return stopped.isDone();
    }

    /** Watches until a vital process dies or a restart fails (returns 1), or until {@link #stop}. */
    int run() {
        try {
            return watch();
        } catch (RuntimeException e) {
            say.accept("supervision failed, stopping everything: " + e);
            return 1;
        }
    }

    private int watch() {
        while (!stopping()) {
            List<CompletableFuture<?>> exits = new ArrayList<>();
            synchronized (this) {
                entries.forEach(e -> e.current.whileRunning());
                entries.forEach(e -> exits.add(e.current.onExit()));
            }
            exits.add(stopped);
            try {
                CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } catch (ExecutionException e) {
                // an exit future failed: treat as an exit, checked below
            }
            // Ctrl-C reaches the children too: give the launcher's own shutdown a moment to say so
            sleep(Duration.ofMillis(500));
            if (stopping()) {
                return 0;
            }
            for (Entry entry : List.copyOf(entries)) {
                if (entry.current.onExit().isDone() && !handleDeath(entry)) {
                    return 1;
                }
            }
        }
        return 0;
    }

    /** Reports a death and restarts when allowed; false when the launcher must stop. */
    private boolean handleDeath(Entry entry) {
        Watched dead = entry.current;
        String tail = dead.logTail(LOG_LINES);
        say.accept(dead.name() + " (pid " + dead.pid() + ") " + dead.howItEnded()
                + (tail.isBlank() ? "; it logged nothing" : "; its last log lines:\n" + indent(tail)));
        dead.afterDeath();
        if (entry.restart == null) {
            say.accept(dead.name() + " is vital: stopping everything");
            return false;
        }
        Instant now = Instant.now();
        while (!entry.restarts.isEmpty() && entry.restarts.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
            entry.restarts.removeFirst();
        }
        if (entry.restarts.size() >= MAX_RESTARTS) {
            say.accept(dead.name() + " died " + (MAX_RESTARTS + 1) + " times within " + RESTART_WINDOW.toMinutes()
                    + " minutes: not restarting it again; stopping everything");
            return false;
        }
        Duration backoff = firstBackoff;
        for (int attempt = 1; attempt <= MAX_RESTARTS && !stopping(); attempt++) {
            say.accept("restarting " + dead.name() + " in " + backoff.toMillis() / 1000.0 + " s (attempt " + attempt
                    + " of " + MAX_RESTARTS + ")");
            sleep(backoff);
            if (stopping()) {
                return true;
            }
            long t0 = System.nanoTime();
            try {
                Watched restarted = entry.restart.start();
                synchronized (this) {
                    entry.current = restarted;
                }
                entry.restarts.addLast(Instant.now());
                say.accept(String.format(
                        "%s restarted (pid %d, %.1f s)",
                        restarted.name(), restarted.pid(), (System.nanoTime() - t0) / 1e9));
                return true;
            } catch (Exception e) {
                say.accept("restarting " + dead.name() + " failed: " + e.getMessage());
            }
            backoff = backoff.multipliedBy(2);
        }
        if (!stopping()) {
            say.accept(
                    dead.name() + " could not be restarted after " + MAX_RESTARTS + " attempts: stopping everything");
        }
        return stopping();
    }

    /** "exited with code N", naming the signal when the code says the process was killed by one. */
    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            int signal = code - 128;
            String name = switch (signal) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 2 -> " (SIGINT)";
                case 6 -> " (SIGABRT)";
                case 11 -> " (SIGSEGV)";
                default -> "";
            };
            return "exited with code " + code + ": killed by signal " + signal + name;
        }
        return "exited with code " + code;
    }

    private static String indent(String lines) {
        return lines.lines().map(l -> "    | " + l).collect(Collectors.joining("\n"));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
