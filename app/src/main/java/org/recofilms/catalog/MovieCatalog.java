package org.recofilms.catalog;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.recofilms.platform.RecoConfig;
import org.recofilms.snapshot.PopularityArrays;

/**
 * Holds the current {@link Catalog}. Loaded at start, then every instance checks, every
 * {@code reco.serving.catalog-refresh}, whether a successful ingestion or training happened since
 * (one cheap query over the run logs) and reloads the catalogue when one did. Reads never wait for a
 * load: they get the catalogue as it was.
 */
@ApplicationScoped
public class MovieCatalog {

    private static final Logger LOG = Logger.getLogger(MovieCatalog.class);

    private static final String VERSION_SQL =
            "SELECT coalesce((SELECT max(finished_at)::text FROM raw.ingestion_run_log"
                    + " WHERE status = 'SUCCESS' AND NOT no_op), '-') || '/' || coalesce((SELECT max(finished_at)::text"
                    + " FROM raw.training_run_log WHERE status = 'SUCCESS'), '-') AS version";

    private final Pool pool;
    private final Vertx vertx;
    private final RecoConfig config;
    private final AtomicReference<Catalog> current = new AtomicReference<>(Catalog.EMPTY);
    private final AtomicReference<CompletableFuture<Catalog>> inFlight = new AtomicReference<>();

    public MovieCatalog(Pool pool, Vertx vertx, RecoConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes @Priority(2) StartupEvent event) {
        syncInBackground();
        vertx.setPeriodic(config.serving().catalogRefresh().toMillis(), id -> syncInBackground());
    }

    /** Whether the catalogue was loaded at least once (readiness waits for it). */
    public boolean loaded() {
        return current.get() != Catalog.EMPTY;
    }

    /** The catalogue now; empty before the first load. */
    public Catalog current() {
        return current.get();
    }

    /** Loads the catalogue again, whatever the run logs say. */
    public Uni<Catalog> refresh() {
        return pool.preparedQuery(VERSION_SQL)
                .execute()
                .flatMap(rows -> load(rows.iterator().next().getString(0)));
    }

    /**
     * Reloads the catalogue if a successful ingestion or training happened since it was loaded.
     * Callers while a check or load is under way share that one instead of starting another.
     */
    public Uni<Catalog> sync() {
        CompletableFuture<Catalog> mine = new CompletableFuture<>();
        CompletableFuture<Catalog> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return Uni.createFrom().completionStage(running);
        }
        pool.preparedQuery(VERSION_SQL)
                .execute()
                .flatMap(rows -> {
                    String version = rows.iterator().next().getString(0);
                    return version.equals(current.get().version())
                            ? Uni.createFrom().item(current.get())
                            : load(version);
                })
                .subscribe()
                .with(
                        catalog -> {
                            inFlight.set(null);
                            mine.complete(catalog);
                        },
                        e -> {
                            inFlight.set(null);
                            mine.completeExceptionally(e);
                        });
        return Uni.createFrom().completionStage(mine);
    }

    private void syncInBackground() {
        sync().subscribe()
                .with(
                        c -> {},
                        e -> LOG.warnf("movie catalogue not refreshed, the current one stays: %s", e.getMessage()));
    }

    private Uni<Catalog> load(String version) {
        long t0 = System.nanoTime();
        Uni<RowSet<Row>> movies = pool.preparedQuery(
                        "SELECT \"movieId\", title, genres, year FROM raw.current_movies ORDER BY \"movieId\"")
                .execute();
        Uni<RowSet<Row>> popularity = pool.preparedQuery(
                        "SELECT \"movieId\", n_ratings, mean_rating, bayes_score FROM raw.movie_popularity"
                                + " ORDER BY bayes_score DESC, \"movieId\"")
                .execute();
        return Uni.combine().all().unis(movies, popularity).asTuple().map(t -> {
            Catalog catalog = build(version, t.getItem1(), t.getItem2());
            current.set(catalog);
            LOG.infof(
                    "movie catalogue loaded: %d movies, %d with popularity, in %.0f ms",
                    catalog.size(), catalog.popularity().size(), (System.nanoTime() - t0) / 1e6);
            return catalog;
        });
    }

    private static Catalog build(String version, RowSet<Row> movieRows, RowSet<Row> popularityRows) {
        int n = movieRows.size();
        int[] ids = new int[n];
        String[] titles = new String[n];
        String[] genres = new String[n];
        int[] years = new int[n];
        int i = 0;
        for (Row row : movieRows) {
            ids[i] = row.getInteger(0);
            titles[i] = row.getString(1);
            genres[i] = row.getString(2);
            Integer year = row.getInteger(3);
            years[i] = year == null ? 0 : year;
            i++;
        }
        int m = popularityRows.size();
        int[] movieIds = new int[m];
        int[] counts = new int[m];
        float[] means = new float[m];
        double[] scores = new double[m];
        int p = 0;
        for (Row row : popularityRows) {
            movieIds[p] = row.getInteger(0);
            counts[p] = row.getInteger(1);
            means[p] = row.getFloat(2);
            scores[p] = row.getDouble(3);
            p++;
        }
        return new Catalog(version, ids, titles, genres, years, new PopularityArrays(movieIds, counts, means, scores));
    }
}
