package org.recofilms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Follows a process's peak resident set (VmHWM in /proc) until it exits, for the benchmarks. */
final class PeakRss {

    private final AtomicLong peakKb = new AtomicLong();

    private PeakRss() {}

    /** Starts sampling {@code pid} every 200 ms on a daemon thread. */
    static PeakRss follow(long pid) {
        PeakRss rss = new PeakRss();
        Thread sampler = new Thread(() -> rss.sample(pid), "peak-rss");
        sampler.setDaemon(true);
        sampler.start();
        return rss;
    }

    /** The highest VmHWM seen, in MB. */
    long megabytes() {
        return peakKb.get() / 1024;
    }

    private void sample(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        while (Files.exists(status)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")), Math::max);
                    }
                }
                Thread.sleep(200);
            } catch (IOException | NumberFormatException | InterruptedException e) {
                return;
            }
        }
    }
}
