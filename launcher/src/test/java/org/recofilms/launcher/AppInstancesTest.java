package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The instances a launch plans from --api-instances, --workers and --http-port. */
class AppInstancesTest {

    private static final Path HOME = Path.of("/tmp/home");

    /** Answers the wanted port when positive, else the next of {@code free}. */
    private static IntUnaryOperator ports(Integer... free) {
        Deque<Integer> left = new ArrayDeque<>(List.of(free));
        return wanted -> wanted > 0 ? wanted : left.removeFirst();
    }

    @Test
    void neitherOptionIsTheSingleAllInOneAppOnTheHomesDataFolder() {
        AppInstances plan = AppInstances.plan(HOME, 0, 0, 8080, ports());
        assertTrue(plan.single());
        AppInstances.Instance app = plan.instances().get(0);
        assertEquals("app", app.name());
        assertEquals("all", app.role());
        assertEquals(8080, app.port());
        assertEquals(HOME.resolve("data"), app.dataDir());
        assertNull(app.log(), "the single app's output goes to the console");
    }

    @Test
    void apiInstancesAndWorkersGetNamesRolesOwnPortsAndOwnFolders() {
        AppInstances plan = AppInstances.plan(HOME, 2, 1, 8080, ports(9001, 9002));
        assertEquals(false, plan.single());
        assertEquals(
                List.of("api-1", "api-2", "worker-1"),
                plan.instances().stream().map(AppInstances.Instance::name).toList());
        assertEquals(
                List.of("api", "api", "worker"),
                plan.instances().stream().map(AppInstances.Instance::role).toList());
        assertEquals(
                List.of(8080, 9001, 9002),
                plan.instances().stream().map(AppInstances.Instance::port).toList());
        assertEquals("api-1", plan.firstApi().name());
        assertEquals(
                HOME.resolve("instances/worker-1/data"), plan.instances().get(2).dataDir());
        assertEquals(
                HOME.resolve("instances/api-2/app.log"), plan.instances().get(1).log());
        assertEquals(
                3,
                new HashSet<>(plan.instances().stream()
                                .map(AppInstances.Instance::dataDir)
                                .toList())
                        .size(),
                "no two instances share a data folder");
    }

    @Test
    void oneOptionAloneLeavesTheOtherAtOne() {
        assertEquals(
                List.of("api-1", "api-2", "api-3", "worker-1"),
                AppInstances.plan(HOME, 3, 0, 8080, ports(1, 2, 3)).instances().stream()
                        .map(AppInstances.Instance::name)
                        .toList());
        assertEquals(
                List.of("api-1", "worker-1", "worker-2"),
                AppInstances.plan(HOME, 0, 2, 8080, ports(1, 2)).instances().stream()
                        .map(AppInstances.Instance::name)
                        .toList());
    }

    @Test
    void aPortPickedTwiceIsPickedAgain() {
        AppInstances plan = AppInstances.plan(HOME, 2, 1, 0, ports(7000, 7000, 7001, 7001, 7002));
        assertEquals(
                List.of(7000, 7001, 7002),
                plan.instances().stream().map(AppInstances.Instance::port).toList());
    }

    @Test
    void countsMustBeIntegersFromOneToSixteen() {
        assertEquals(2, AppInstances.count("workers", "2"));
        assertEquals(16, AppInstances.count("api-instances", "16"));
        assertEquals(
                "--workers must be an integer from 1 to 16, got 0",
                assertThrows(IllegalArgumentException.class, () -> AppInstances.count("workers", "0"))
                        .getMessage());
        assertEquals(
                "--api-instances must be an integer from 1 to 16, got 'two'",
                assertThrows(IllegalArgumentException.class, () -> AppInstances.count("api-instances", "two"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> AppInstances.count("workers", "17"));
    }
}
