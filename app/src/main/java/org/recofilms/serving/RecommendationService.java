package org.recofilms.serving;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.recofilms.catalog.Catalog;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.platform.DatabaseDeadline;
import org.recofilms.platform.Failures;
import org.recofilms.platform.UnavailableException;

/**
 * A user's recommendations: one read of the user's ratings on the reactive pool, then the in-memory
 * model (or, with none loaded, the database's popularity list) and the catalogue's titles. When the
 * ratings cannot be read within {@code reco.serving.database-timeout}, the answer is still a 200: the
 * popularity list from memory, with reason {@code degraded} and why in {@code reason_detail}.
 */
@ApplicationScoped
public class RecommendationService {

    private static final Logger LOG = Logger.getLogger(RecommendationService.class);

    private final ModelState state;
    private final MovieCatalog catalogs;
    private final RatingsRepository ratings;
    private final ServingMetrics metrics;
    private final PopularityFallback fallback;
    private final DatabaseDeadline deadline;

    public RecommendationService(
            ModelState state,
            MovieCatalog catalogs,
            RatingsRepository ratings,
            ServingMetrics metrics,
            PopularityFallback fallback,
            DatabaseDeadline deadline) {
        this.state = state;
        this.catalogs = catalogs;
        this.ratings = ratings;
        this.metrics = metrics;
        this.fallback = fallback;
        this.deadline = deadline;
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
        return deadline.bound("reading the user's ratings", () -> ratings.history(userId))
                .map(history -> {
                    Recommender.Recommendation answer = model == null
                            ? recommender.popular(history.movieIds(), topN, Recommender.Fallback.NO_MODEL)
                            : recommender.recommend(history.movieIds(), history.ratings(), topN);
                    metrics.answered(answer);
                    String detail = answer.fallback() == null ? null : answer.fallback().message;
                    return answer(userId, model, catalog, answer, detail, history.size());
                })
                .onFailure()
                .recoverWithItem(e -> {
                    // a stalled database (UnavailableException) is expected; any other failure is a fault
                    String cause = e instanceof UnavailableException ? e.getMessage() : Failures.describe(e);
                    if (e instanceof UnavailableException) {
                        LOG.warnf("user %d answered degraded: %s", userId, cause);
                    } else {
                        LOG.errorf(e, "user %d answered degraded: %s", userId, cause);
                    }
                    Recommender.Recommendation answer =
                            recommender.popular(new int[0], topN, Recommender.Fallback.DEGRADED);
                    metrics.answered(answer);
                    metrics.degraded();
                    return answer(userId, model, catalog, answer, answer.fallback().message + ": " + cause, null);
                });
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
