package org.recofilms.local;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class and exits when the process that started it is gone, so that a broker or
 * an app started by the launcher or by the tests never outlives them, even when they are killed
 * with SIGKILL and their shutdown hooks do not run. The exit runs the child's own shutdown hooks.
 *
 * <p>Usage: {@code java -Dlocal.watchdog.parent=PID -cp ... org.recofilms.local.ParentWatchdog MainClass args...}
 */
public final class ParentWatchdog {

    private ParentWatchdog() {}

    public static void main(String[] args) throws Exception {
        long parent = Long.parseLong(System.getProperty("local.watchdog.parent", "-1"));
        if (parent > 0) {
            Thread watcher = new Thread(() -> watch(parent), "parent-watchdog");
            watcher.setDaemon(true);
            watcher.start();
        }
        Class<?> mainClass = Class.forName(args[0]);
        Method main = mainClass.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void watch(long parent) {
        while (true) {
            boolean alive = ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                System.err.println("parent process " + parent + " is gone: shutting down");
                System.exit(0);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
