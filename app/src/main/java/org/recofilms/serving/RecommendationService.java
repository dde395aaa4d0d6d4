package org.recofilms.serving;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.recofilms.catalog.Catalog;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.platform.RecoConfig;

/**
 * A user's recommendations, from memory only: the user's ratings from the in-memory histories
 * ({@link HistoryService}), then the in-memory model (or, with none loaded, the popularity list) and the
 * catalogue's titles. No database call is on this path. Reason {@code degraded} now means only that the
 * histories have not finished their first load (an instance that is not ready yet): the popularity list, with
 * why in {@code reason_detail}.
 */
@ApplicationScoped
public class RecommendationService {

    private final ModelState state;
    private final MovieCatalog catalogs;
    private final HistoryService histories;
    private final ServingMetrics metrics;
    private final PopularityFallback fallback;
    private final int factorOffloadAbove;

    public RecommendationService(
            ModelState state,
            MovieCatalog catalogs,
            HistoryService histories,
            ServingMetrics metrics,
            PopularityFallback fallback,
            RecoConfig config) {
        this.state = state;
        this.catalogs = catalogs;
        this.histories = histories;
        this.metrics = metrics;
        this.fallback = fallback;
        this.factorOffloadAbove = config.serving().factorOffloadAbove();
    }

    /** The body of GET /recommend. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Answer(
            int userId,

            @Schema(
                    description = "item_cf (an item-item family), matrix_factorization (ials) or popularity",
                    enumeration = {"item_cf", "matrix_factorization", "popularity"})
            String strategy,

            @Schema(
                    nullable = true,
                    description = "why the popularity list is served; null for item_cf",
                    enumeration = {"unknown_user", "few_ratings", "no_candidate", "no_model", "degraded"})
            String reason,

            @Schema(nullable = true) String reasonDetail,

            @Schema(nullable = true, description = "null while no model is loaded")
            String modelVersion,

            @Schema(
                    nullable = true,
                    description = "the family of the model that served; null while no model is loaded",
                    enumeration = {"itemknn", "rp3beta", "ease", "ials"})
            String family,

            @Schema(
                    nullable = true,
                    description = "how many ratings the user has; null when they could not be read (degraded)")
            Integer userRatings,

            List<RecommendedMovie> recommendations) {}

    /** One recommendation: the movie, its score and the user's movies that contributed most (see the recommenders). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RecommendedMovie(
            int movieId,
            @Schema(nullable = true) String title,
            List<String> genres,
            double score,
            int[] because,
            @Schema(ref = "Titles") List<String> becauseTitles) {}

    public Uni<Answer> recommend(int userId, int topN) {
        // read once: the whole answer comes from one model and one catalogue even during a swap
        ServingModel model = state.model().orElse(null);
        Catalog catalog = catalogs.current();
        UserRecommender recommender = model == null ? fallback.of(catalog) : model.recommender();
        if (!histories.loaded()) {
            // only before the first load of the histories (/ready is not ready then): nothing to read the user from
            Recommender.Recommendation answer = recommender.popular(new int[0], topN, Recommender.Fallback.DEGRADED);
            metrics.answered(answer);
            metrics.degraded();
            return Uni.createFrom()
                    .item(answer(
                            userId,
                            model,
                            catalog,
                            answer,
                            answer.fallback().message + ": the user histories are still loading",
                            null));
        }
        UserRatings history = histories.get(userId);
        if (recommender instanceof FactorRecommender && history.size() > factorOffloadAbove) {
            // a long fold-in: on a worker thread, so the event loop goes on with its other connections
            return Uni.createFrom()
                    .item(() -> personal(userId, topN, model, catalog, recommender, history))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().item(personal(userId, topN, model, catalog, recommender, history));
    }

    private Answer personal(
            int userId,
            int topN,
            ServingModel model,
            Catalog catalog,
            UserRecommender recommender,
            UserRatings history) {
        Recommender.Recommendation answer = model == null
                ? recommender.popular(history.movieIds(), topN, Recommender.Fallback.NO_MODEL)
                : recommender.recommend(history.movieIds(), history.ratings(), topN);
        metrics.answered(answer);
        String detail = answer.fallback() == null ? null : answer.fallback().message;
        return answer(userId, model, catalog, answer, detail, history.size());
    }

    private static Answer answer(
            int userId,
            ServingModel model,
            Catalog catalog,
            Recommender.Recommendation answer,
            String reasonDetail,
            Integer userRatings) {
        List<RecommendedMovie> movies = new ArrayList<>(answer.items().size());
        for (Recommender.Item item : answer.items()) {
            List<String> becauseTitles = new ArrayList<>(item.because().length);
            for (int anchor : item.because()) {
                becauseTitles.add(catalog.title(anchor));
            }
            movies.add(new RecommendedMovie(
                    item.movieId(),
                    catalog.title(item.movieId()),
                    catalog.genres(item.movieId()),
                    item.score(),
                    item.because(),
                    becauseTitles));
        }
        return new Answer(
                userId,
                answer.strategy(),
                answer.fallback() == null ? null : answer.fallback().tag,
                reasonDetail,
                model == null ? null : Integer.toString(model.version().version()),
                model == null ? null : model.family().id(),
                userRatings,
                movies);
    }
}
