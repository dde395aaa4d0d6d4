package org.recofilms.platform;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The reactive pool with the bounds that Quarkus has no property for ({@code reco.database.*}): a
 * request waits at most pool-wait for a connection, at most max-wait-queue requests wait at once,
 * and a new connection's TCP connect gives up after connect-timeout. Without them a stalled
 * PostgreSQL lets waiters pile up for the SQL client's default 30 s each. Quarkus's own settings
 * (size, idle timeout, prepared-statement cache, credentials) are kept as it made them.
 */
@Singleton
public class ReactivePoolCreator implements PgPoolCreator {

    private final RecoConfig.Database config;

    public ReactivePoolCreator(RecoConfig config) {
        this.config = config.database();
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus casts the pool to PgPool, which only PgPool.pool still makes
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout((int) config.poolWait().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.maxWaitQueue());
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout((int) config.connectTimeout().toMillis());
        }
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), pool);
    }
}
