package org.recofilms.platform;

import java.util.concurrent.TimeUnit;

/**
 * The commit the running code was built from: RECO_GIT_COMMIT (set by the container build), else
 * {@code git rev-parse HEAD} in the working directory, else "unknown". Tagged on every model.
 */
public final class GitCommit {

    private static volatile String cached;

    private GitCommit() {}

    public static String current() {
        String value = cached;
        if (value == null) {
            value = resolve();
            cached = value;
        }
        return value;
    }

    private static String resolve() {
        String env = System.getenv("RECO_GIT_COMMIT");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (Exception e) {
            // no git here: a container or an unpacked release
        }
        return "unknown";
    }
}
