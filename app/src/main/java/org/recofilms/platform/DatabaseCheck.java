package org.recofilms.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * PostgreSQL is up when a new connection (never a pooled one) opens and answers a trivial query
 * within {@code reco.readiness.database-timeout}, and the schema is migrated. A pooled connection
 * would keep answering while the postmaster is stalled, though no new connection can be made:
 * only a new one proves that the server accepts work.
 */
@ApplicationScoped
public class DatabaseCheck implements ComponentCheck {

    private static final String SQL = "SELECT to_regclass('raw.raw_ratings') IS NOT NULL AS migrated";

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Duration timeout;

    public DatabaseCheck(
            Vertx vertx,
            RecoConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.timeout = config.readiness().databaseTimeout();
        // the first of a comma-separated list, as the pool's first choice
        PgConnectOptions o = PgConnectOptions.fromUri(url.split(",")[0].trim());
        user.ifPresent(o::setUser);
        password.ifPresent(o::setPassword);
        o.setConnectTimeout((int) timeout.toMillis());
        this.options = o;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Uni<CheckResult> check() {
        // runs to its end even after the deadline, so that a connection made late is still closed
        CompletableFuture<CheckResult> probe = PgConnection.connect(vertx, options)
                .flatMap(connection -> connection
                        .query(SQL)
                        .execute()
                        .map(rows -> rows.iterator().next().getBoolean("migrated")
                                ? CheckResult.up("postgresql")
                                : CheckResult.down("schema not migrated"))
                        .eventually(connection::close))
                .subscribeAsCompletionStage();
        return Uni.createFrom()
                .completionStage(() -> probe.thenApply(Function.identity()))
                .ifNoItem()
                .after(timeout)
                .recoverWithItem(() -> CheckResult.down("PostgreSQL did not accept a new connection and answer SELECT"
                        + " within " + timeout.toMillis() + " ms"))
                .onFailure()
                .recoverWithItem(e -> CheckResult.down("PostgreSQL could not be reached: " + Failures.describe(e)));
    }
}
