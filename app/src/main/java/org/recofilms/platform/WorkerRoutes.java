package org.recofilms.platform;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * On a {@code worker} instance, HTTP serves only health and metrics (/health, /ready, /q/health*,
 * /q/metrics*); every other path, REST, web demo or OpenAPI, answers 404 in the JSON error format.
 * A route of the Vert.x router ahead of all others covers the REST resources and the static files alike.
 */
@ApplicationScoped
public class WorkerRoutes {

    private static final String NOT_FOUND = "{\"error\":\"not_found\",\"detail\":\"a worker instance serves only"
            + " /health, /ready, /q/health and /q/metrics\"}";

    void install(@Observes Router router, RecoConfig config) {
        if (config.role() != RecoConfig.Role.WORKER) {
            return;
        }
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (servedByWorker(ctx.normalizedPath())) {
                ctx.next();
            } else {
                ctx.response()
                        .setStatusCode(404)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(NOT_FOUND);
            }
        });
    }

    static boolean servedByWorker(String path) {
        return path.equals("/health")
                || path.equals("/ready")
                || path.equals("/q/health")
                || path.startsWith("/q/health/")
                || path.equals("/q/metrics")
                || path.startsWith("/q/metrics/");
    }
}
