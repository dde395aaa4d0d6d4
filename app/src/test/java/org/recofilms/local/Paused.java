package org.recofilms.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real processes stopped with SIGSTOP until {@link #close()} sends SIGCONT: a server that stalls
 * (its sockets stay open, nothing answers), as a machine under memory pressure or a long GC would.
 * Use in try-with-resources so that the processes always continue.
 */
public final class Paused implements AutoCloseable {

    private final List<Long> pids;

    private Paused(List<Long> pids) {
        this.pids = pids;
    }

    /** Stops {@code pid} and, when {@code withChildren}, each of its children (PostgreSQL's backends). */
    public static Paused pause(long pid, boolean withChildren) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        // the parent first, so that it forks no child that escapes the pause
        signal("STOP", pids);
        Paused paused = new Paused(pids);
        try {
            if (withChildren) {
                List<Long> children = ProcessHandle.of(pid).stream()
                        .flatMap(ProcessHandle::children)
                        .map(ProcessHandle::pid)
                        .toList();
                pids.addAll(children);
                signal("STOP", children);
            }
        } catch (RuntimeException e) {
            paused.close();
            throw e;
        }
        return paused;
    }

    /** How many processes are stopped. */
    public int count() {
        return pids.size();
    }

    @Override
    public void close() {
        signal("CONT", pids);
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (kill.exitValue() != 0) {
                // a backend that exited meanwhile: the others got the signal
                System.err.println("[paused] " + String.join(" ", command) + " exited " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
