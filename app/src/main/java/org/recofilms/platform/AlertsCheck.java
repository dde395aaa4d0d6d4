package org.recofilms.platform;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;

/**
 * The alerts firing in Prometheus, in /ready's detail: never a readiness failure ({@link #required()}
 * is false). Status "firing" (the detail lists them), "none_firing", "not_configured" (no
 * {@code reco.monitoring.prometheus-url}) or "unavailable" (Prometheus did not answer: down).
 */
@ApplicationScoped
public class AlertsCheck implements ComponentCheck {

    private final PrometheusApi prometheus;

    public AlertsCheck(PrometheusApi prometheus) {
        this.prometheus = prometheus;
    }

    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Uni<CheckResult> check() {
        if (prometheus.url().isEmpty()) {
            return Uni.createFrom()
                    .item(new CheckResult(
                            "not_configured", true, "no Prometheus: reco.monitoring.prometheus-url is not set"));
        }
        return prometheus
                .firingAlerts()
                .map(alerts -> alerts.isEmpty()
                        ? new CheckResult(
                                "none_firing",
                                true,
                                "no alert firing in " + prometheus.url().get())
                        : new CheckResult(
                                "firing",
                                true,
                                alerts.size() + " firing: "
                                        + alerts.stream()
                                                .map(a -> a.name()
                                                        + (a.severity() == null ? "" : " (" + a.severity() + ")")
                                                        + (a.summary() == null ? "" : ": " + a.summary()))
                                                .collect(Collectors.joining("; "))))
                .onFailure()
                .recoverWithItem(e -> new CheckResult("unavailable", false, e.getMessage()));
    }
}
