package org.recofilms.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs every {@link ComponentCheck} concurrently, each bounded by the readiness timeout, and says
 * whether the app is ready: every required component up. /ready and /q/health/ready both use it,
 * so they never disagree.
 */
@Startup // registers the readiness gauges at start, before any probe
@ApplicationScoped
public class ReadinessService {

    private final List<ComponentCheck> checks;
    private final Duration timeout;
    private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();

    @Inject
    public ReadinessService(@Any Instance<ComponentCheck> checks, RecoConfig config, MeterRegistry registry) {
        this(checks.stream().toList(), config.readiness().timeout(), registry);
    }

    ReadinessService(List<ComponentCheck> checks, Duration timeout, MeterRegistry registry) {
        List<ComponentCheck> sorted = new ArrayList<>(checks);
        sorted.sort(Comparator.comparing(ComponentCheck::name));
        this.checks = List.copyOf(sorted);
        this.timeout = timeout;
        for (ComponentCheck check : this.checks) {
            lastUp.put(check.name(), Boolean.FALSE);
            Gauge.builder(MetricNames.READINESS_UP, lastUp, m -> m.get(check.name()) ? 1.0 : 0.0)
                    .tag("component", check.name())
                    .description("1 when the last readiness check of the component passed")
                    .register(registry);
        }
    }

    /** The state of every component, and whether the app as a whole is ready. */
    public record Readiness(boolean ready, Map<String, CheckResult> checks) {}

    public Uni<Readiness> check() {
        List<Uni<CheckResult>> probes = new ArrayList<>();
        for (ComponentCheck check : checks) {
            probes.add(check.check()
                    .ifNoItem()
                    .after(timeout)
                    .recoverWithItem(() -> CheckResult.down("no answer within " + timeout.toMillis() + " ms"))
                    .onFailure()
                    .recoverWithItem(e -> CheckResult.down(e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
        return Uni.join().all(probes).andFailFast().map(results -> {
            Map<String, CheckResult> byName = new LinkedHashMap<>();
            boolean ready = true;
            for (int i = 0; i < checks.size(); i++) {
                ComponentCheck check = checks.get(i);
                CheckResult result = results.get(i);
                byName.put(check.name(), result);
                lastUp.put(check.name(), result.up());
                ready &= result.up() || !check.required();
            }
            return new Readiness(ready, byName);
        });
    }
}
