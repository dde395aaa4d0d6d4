package org.recofilms.training;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs one task per worker thread while the calling thread reports progress.
 *
 * <p>Work splitting is the task's business (typically an {@code AtomicInteger} handing out chunks), so
 * workers keep their own buffers for the whole run. The calling thread only waits and calls {@code tick}
 * every {@code intervalMillis}, which keeps listeners off the worker threads.
 */
public final class Parallel {

    private Parallel() {}

    /**
     * Runs {@code task.accept(w)} for {@code w = 0..threads-1}, each on its own thread, and returns when all
     * have finished. The first failure is rethrown after every worker has stopped.
     */
    public static void run(int threads, String name, IntConsumer task, long intervalMillis, Runnable tick) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            int worker = w;
            workers[w] = new Thread(
                    () -> {
                        try {
                            task.accept(worker);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    },
                    name + "-" + w);
            workers[w].setDaemon(true);
            workers[w].start();
        }
        try {
            for (Thread worker : workers) {
                while (worker.isAlive()) {
                    worker.join(Math.max(1, intervalMillis));
                    if (worker.isAlive()) {
                        tick.run();
                    }
                }
            }
        } catch (InterruptedException e) {
            for (Thread worker : workers) {
                worker.interrupt();
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(name + " failed", t);
        }
    }
}
