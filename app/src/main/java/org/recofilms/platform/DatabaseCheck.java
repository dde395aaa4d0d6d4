package org.recofilms.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** PostgreSQL is up when the reactive pool answers a trivial query and the schema is migrated. */
@ApplicationScoped
public class DatabaseCheck implements ComponentCheck {

    private final Pool pool;

    public DatabaseCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Uni<CheckResult> check() {
        return pool.query("SELECT to_regclass('raw.raw_ratings') IS NOT NULL AS migrated")
                .execute()
                .map(rows -> rows.iterator().next().getBoolean("migrated")
                        ? CheckResult.up("postgresql")
                        : CheckResult.down("schema not migrated"));
    }
}
