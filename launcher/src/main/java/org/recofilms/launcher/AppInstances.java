package org.recofilms.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * The app JVMs of one launch: a single {@code app} of role {@code all} (the default), or, with
 * {@code --api-instances=N --workers=M}, N of role {@code api} named api-1..api-N and M of role
 * {@code worker} named worker-1..worker-M.
 *
 * <p>Each instance of a multi-instance set has a folder of its own, HOME/instances/NAME, holding its
 * {@code reco.data.dir} ({@code data/}) and its log ({@code app.log}). The data folder is not shared
 * because an instance writes into it without any lock between JVMs: an api instance downloads the
 * artifacts of each promoted version into data/serving/RUN (two instances would write the same files
 * at the same moment), and a worker writes data/training_set.parquet, data/models/RUN, data/raw and
 * their DVC pointers (two workers may run two trainings at once). An api instance therefore never
 * reads a worker's snapshot; it loads the user histories from PostgreSQL (binary COPY) instead.
 */
record AppInstances(List<Instance> instances) {

    /** One app JVM: its name (the key in pids.properties), role, HTTP port and data folder. */
    record Instance(String name, String role, int port, Path dataDir, Path log) {

        boolean api() {
            return !role.equals("worker");
        }
    }

    /** Whether this is the single all-in-one app (no --api-instances nor --workers given). */
    boolean single() {
        return instances.size() == 1 && instances.get(0).role().equals("all");
    }

    /** The instance the demo pipeline trigger and the banner's API line go to. */
    Instance firstApi() {
        return instances.stream().filter(Instance::api).findFirst().orElseThrow();
    }

    /**
     * Plans the instances. {@code apiInstances} and {@code workers} are 0 when not given: both 0 is the
     * single app; otherwise each must be at least 1 (one given alone leaves the other at 1). The first
     * api instance (or the single app) gets {@code pick.applyAsInt(httpPort)}, the others
     * {@code pick.applyAsInt(0)}; a port picked twice is picked again.
     */
    static AppInstances plan(Path home, int apiInstances, int workers, int httpPort, IntUnaryOperator pick) {
        List<Instance> list = new ArrayList<>();
        if (apiInstances == 0 && workers == 0) {
            list.add(new Instance("app", "all", pick.applyAsInt(httpPort), home.resolve("data"), null));
            return new AppInstances(List.copyOf(list));
        }
        int n = apiInstances == 0 ? 1 : apiInstances;
        int m = workers == 0 ? 1 : workers;
        Set<Integer> taken = new HashSet<>();
        for (int i = 1; i <= n + m; i++) {
            boolean api = i <= n;
            String name = api ? "api-" + i : "worker-" + (i - n);
            int port = pick.applyAsInt(i == 1 ? httpPort : 0);
            for (int tries = 0; !taken.add(port) && tries < 20; tries++) {
                port = pick.applyAsInt(0);
            }
            Path folder = home.resolve("instances").resolve(name);
            list.add(new Instance(
                    name, api ? "api" : "worker", port, folder.resolve("data"), folder.resolve("app.log")));
        }
        return new AppInstances(List.copyOf(list));
    }

    /** Checks a count option's value: an integer from 1 to 16. */
    static int count(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be an integer from 1 to 16, got '" + value + "'");
        }
        if (n < 1 || n > 16) {
            throw new IllegalArgumentException("--" + option + " must be an integer from 1 to 16, got " + n);
        }
        return n;
    }
}
