package org.recofilms.platform;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Publishes the same readiness as GET /ready on /q/health/ready, for orchestrators. */
@Readiness
@ApplicationScoped
public class ReadinessHealthCheck implements AsyncHealthCheck {

    private final ReadinessService readiness;

    public ReadinessHealthCheck(ReadinessService readiness) {
        this.readiness = readiness;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return readiness.check().map(r -> {
            HealthCheckResponseBuilder builder =
                    HealthCheckResponse.named("reco-films").status(r.ready());
            r.checks().forEach((name, result) -> builder.withData(name, result.status()));
            return builder.build();
        });
    }
}
