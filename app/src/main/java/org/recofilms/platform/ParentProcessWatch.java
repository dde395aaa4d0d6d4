package org.recofilms.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Stops the app when the process that started it is gone ({@code reco.local.parent-pid}), so that an
 * app started by the local launcher or by a test never outlives it, even when that parent is killed
 * with SIGKILL and has no chance to stop its children. The exit is a normal Quarkus shutdown.
 */
@ApplicationScoped
public class ParentProcessWatch {

    private static final Logger LOG = Logger.getLogger(ParentProcessWatch.class);

    private final RecoConfig.Local config;
    private ScheduledExecutorService timer;

    public ParentProcessWatch(RecoConfig config) {
        this.config = config.local();
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        config.parentPid().ifPresent(this::watch);
    }

    private void watch(long parent) {
        if (!alive(parent)) {
            LOG.errorf("parent process %d is not running: stopping", parent);
            Quarkus.asyncExit(1);
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parent-process-watch");
            t.setDaemon(true);
            return t;
        });
        long every = config.parentCheckInterval().toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    if (!alive(parent)) {
                        LOG.warnf("parent process %d is gone: shutting down", parent);
                        timer.shutdown();
                        Quarkus.asyncExit(0);
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        LOG.infof("stopping when parent process %d is gone", parent);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
