package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readiness rule on its own: required parts must be up, slow or failing probes count as down. */
class ReadinessServiceTest {

    private static ComponentCheck check(String name, boolean required, Uni<CheckResult> result) {
        return new ComponentCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean required() {
                return required;
            }

            @Override
            public Uni<CheckResult> check() {
                return result;
            }
        };
    }

    private static ReadinessService service(ComponentCheck... checks) {
        return new ReadinessService(List.of(checks), Duration.ofMillis(200), new SimpleMeterRegistry());
    }

    @Test
    void readyWhenEveryRequiredPartIsUp() {
        var r = service(
                        check("a", true, Uni.createFrom().item(CheckResult.up("fine"))),
                        check("b", false, Uni.createFrom().item(CheckResult.down("optional"))))
                .check()
                .await()
                .indefinitely();
        assertTrue(r.ready());
        assertEquals("down", r.checks().get("b").status());
    }

    @Test
    void notReadyWhenARequiredPartIsDown() {
        var r = service(
                        check("a", true, Uni.createFrom().item(CheckResult.up("fine"))),
                        check("db", true, Uni.createFrom().item(CheckResult.down("refused"))))
                .check()
                .await()
                .indefinitely();
        assertFalse(r.ready());
        assertEquals("refused", r.checks().get("db").detail());
    }

    @Test
    void aFailingOrSilentProbeCountsAsDown() {
        var r = service(
                        check("boom", true, Uni.createFrom().failure(new IllegalStateException("broken"))),
                        check("silent", true, Uni.createFrom().nothing()))
                .check()
                .await()
                .atMost(Duration.ofSeconds(5));
        assertFalse(r.ready());
        assertTrue(r.checks().get("boom").detail().contains("broken"));
        assertTrue(r.checks().get("silent").detail().contains("no answer"));
    }

    @Test
    void readinessGaugeFollowsTheLastCheck() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        var service = new ReadinessService(
                List.of(check("db", true, Uni.createFrom().item(CheckResult.up("ok")))),
                Duration.ofSeconds(1),
                registry);
        assertEquals(
                0.0,
                registry.get(MetricNames.READINESS_UP)
                        .tag("component", "db")
                        .gauge()
                        .value());
        service.check().await().indefinitely();
        assertEquals(
                1.0,
                registry.get(MetricNames.READINESS_UP)
                        .tag("component", "db")
                        .gauge()
                        .value());
    }
}
