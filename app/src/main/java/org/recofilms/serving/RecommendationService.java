package org.recofilms.serving;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.recofilms.catalog.Catalog;
import org.recofilms.catalog.MovieCatalog;

/**
 * A user's recommendations: one read of the user's ratings on the reactive pool, then the in-memory
 * model (or, with none loaded, the database's popularity list) and the catalogue's titles.
 */
@ApplicationScoped
public class RecommendationService {

    private final ModelState state;
    private final MovieCatalog catalogs;
    private final RatingsRepository ratings;
    private final ServingMetrics metrics;
    private final PopularityFallback fallback;

    public RecommendationService(
            ModelState state,
            MovieCatalog catalogs,
            RatingsRepository ratings,
            ServingMetrics metrics,
            PopularityFallback fallback) {
        this.state = state;
        this.catalogs = catalogs;
        this.ratings = ratings;
        this.metrics = metrics;
        this.fallback = fallback;
    }

    /** The body of GET /recommend. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Answer(
            int userId,
            @Schema(enumeration = {"item_cf", "popularity"}) String strategy,

            @Schema(
                    nullable = true,
                    description = "why the popularity list is served; null for item_cf",
                    enumeration = {"unknown_user", "few_ratings", "no_candidate", "no_model"})
            String reason,

            @Schema(nullable = true) String reasonDetail,

            @Schema(nullable = true, description = "null while no model is loaded")
            String modelVersion,

            int userRatings,
            List<RecommendedMovie> recommendations) {}

    /** One recommendation: the movie, its score and the user's movies that contributed most. */
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
        return ratings.history(userId).map(history -> {
            Recommender.Recommendation answer = model == null
                    ? fallback.of(catalog).popular(history.movieIds(), topN, Recommender.Fallback.NO_MODEL)
                    : model.recommender().recommend(history.movieIds(), history.ratings(), topN);
            metrics.answered(answer);
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
                    answer.fallback() == null ? null : answer.fallback().message,
                    model == null ? null : Integer.toString(model.version().version()),
                    history.size(),
                    movies);
        });
    }
}
