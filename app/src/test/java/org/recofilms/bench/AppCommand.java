package org.recofilms.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One command of the packaged app ({@code java -Xmx2g -jar target/quarkus-app/quarkus-run.jar
 * COMMAND...}) as the benchmarks run it: its output, wall time and peak RSS (VmHWM). A command
 * opens no HTTP port and joins no consumer group, so it runs beside a serving app. A command that
 * fails prints its output and throws.
 */
final class AppCommand {

    /** What a command did. */
    record Result(String output, double wall, long peakMb) {}

    private AppCommand() {}

    static Result run(Map<String, String> env, String... command) throws Exception {
        return run(env, p -> {}, command);
    }

    /** {@code whileRunning} is told the process as soon as it starts (to sample it meanwhile). */
    static Result run(Map<String, String> env, Consumer<Process> whileRunning, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-jar",
                "target/quarkus-app/quarkus-run.jar"));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process app = pb.start();
        PeakRss rss = PeakRss.follow(app.pid());
        whileRunning.accept(app);
        String output = new String(app.getInputStream().readAllBytes());
        int exit = app.waitFor();
        if (exit != 0) {
            System.out.println(output);
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + ")");
        }
        return new Result(output, (System.nanoTime() - t0) / 1e9, rss.megabytes());
    }
}
