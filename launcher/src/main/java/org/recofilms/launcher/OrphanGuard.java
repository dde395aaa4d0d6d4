package org.recofilms.launcher;

import java.io.IOException;
import java.util.List;

/**
 * Stops a service that cannot watch its parent itself (PostgreSQL, the broker, MLflow) when the JVM that
 * started it dies, even by SIGKILL: a tiny shell loop waits for this JVM to exit, then sends the
 * service SIGTERM. A normal stop has already ended the service by then.
 */
final class OrphanGuard {

    private OrphanGuard() {}

    static void watch(String name, long servicePid) {
        long self = ProcessHandle.current().pid();
        String script = "while kill -0 " + self + " 2>/dev/null; do sleep 1; done; " + "kill -TERM " + servicePid
                + " 2>/dev/null; exit 0";
        try {
            new ProcessBuilder(List.of("bash", "-c", script))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            System.err.println("[local] no orphan guard for " + name + ": " + e.getMessage());
        }
    }
}
