package org.recofilms.serving;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.recofilms.catalog.Catalog;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.catalog.MovieRepository;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.DatabaseDeadline;
import org.recofilms.platform.QueryParams;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;

/**
 * The catalogue: popular movies (the model's Bayesian popularity list, or the database's when no
 * model is loaded), title search, one movie's details, and its item-to-item neighbours.
 */
@Path("/movies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "movies")
public class MovieResource {

    private static final int MAX_LIMIT = 100;

    private static final int MAX_QUERY = 200;

    private static final String LIMIT = "how many movies, 1 to 100 (default 10)";

    private static final String MOVIE_ID = "movie id, a positive integer";

    private final MovieCatalog catalogs;
    private final MovieRepository repository;
    private final ModelState state;
    private final PopularityFallback fallback;
    private final DatabaseDeadline deadline;

    public MovieResource(
            MovieCatalog catalogs,
            MovieRepository repository,
            ModelState state,
            PopularityFallback fallback,
            DatabaseDeadline deadline) {
        this.catalogs = catalogs;
        this.repository = repository;
        this.state = state;
        this.fallback = fallback;
        this.deadline = deadline;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PopularMovie(
            int movieId,
            @Schema(nullable = true) String title,
            List<String> genres,
            @Schema(nullable = true) Integer year,
            int nRatings,
            double meanRating,
            double bayesScore) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PopularList(
            @Schema(nullable = true, description = "null while no model is loaded")
            String modelVersion,

            List<PopularMovie> movies) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MovieSummary(
            int movieId,
            String title,
            List<String> genres,
            @Schema(nullable = true) Integer year) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SearchResult(List<MovieSummary> movies) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(
            long nRatings,
            @Schema(nullable = true) Double meanRating,
            @Schema(nullable = true) Double bayesScore) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MovieDetails(
            int movieId,
            @Schema(nullable = true) String title,
            @Schema(nullable = true) Integer year,
            List<String> genres,
            @Schema(nullable = true) Integer imdbId,
            @Schema(nullable = true) Integer tmdbId,
            Stats stats,
            List<MovieRepository.Tag> topTags) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SimilarMovie(
            int movieId, @Schema(nullable = true) String title, List<String> genres, double similarity) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SimilarList(
            int movieId,
            @Schema(nullable = true) String title,

            @Schema(nullable = true, description = "null while no model is loaded")
            String modelVersion,

            List<SimilarMovie> similar) {}

    @GET
    @Path("popular")
    @NonBlocking // in memory: answered on the event loop
    @Operation(summary = "The Bayesian-popularity top list, with each movie's count, mean and score")
    public PopularList popular(
            @Parameter(description = LIMIT, schema = @Schema(ref = "Limit")) @QueryParam("limit") String limit) {
        int n = QueryParams.optional("limit", limit, 10, 1, MAX_LIMIT);
        ServingModel model = state.model().orElse(null);
        Catalog catalog = catalogs.current();
        UserRecommender recommender = model == null ? fallback.of(catalog) : model.recommender();
        PopularityArrays p = recommender.popularity();
        List<PopularMovie> movies = new ArrayList<>(n);
        for (int i : recommender.topPopular(n)) {
            int id = p.movieIds()[i];
            movies.add(new PopularMovie(
                    id,
                    catalog.title(id),
                    catalog.genres(id),
                    catalog.year(id),
                    p.nRatings()[i],
                    p.meanRatings()[i],
                    p.bayesScores()[i]));
        }
        return new PopularList(version(model), movies);
    }

    @GET
    @Path("search")
    @NonBlocking // in memory: answered on the event loop
    @Operation(summary = "Movies whose title contains q (case-insensitive), the most rated first")
    public SearchResult search(
            @Parameter(
                            description = "a part of a title, 1 to 200 characters",
                            required = true,
                            example = "star",
                            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = MAX_QUERY))
                    @QueryParam("q")
                    String q,
            @Parameter(description = LIMIT, schema = @Schema(ref = "Limit")) @QueryParam("limit") String limit) {
        int n = QueryParams.optional("limit", limit, 10, 1, MAX_LIMIT);
        if (q == null || q.isEmpty()) {
            throw new BadRequestException("q is required: a part of a title");
        }
        // in characters (code points), as the OpenAPI document counts them
        if (q.codePointCount(0, q.length()) > MAX_QUERY) {
            throw new BadRequestException("q must be at most " + MAX_QUERY + " characters");
        }
        Catalog catalog = catalogs.current();
        List<MovieSummary> movies = catalog.search(q, n).stream()
                .map(id -> new MovieSummary(id, catalog.title(id), catalog.genres(id), catalog.year(id)))
                .toList();
        return new SearchResult(movies);
    }

    @GET
    @Path("{movie_id}")
    @Operation(
            summary = "A movie: title, year, genres, links, live rating stats and its top genome tags",
            description = "503 database_unavailable when PostgreSQL does not answer within"
                    + " reco.serving.database-timeout.")
    @APIResponse(responseCode = "200", description = "The movie")
    @APIResponse(responseCode = "404", description = "No such movie in the catalogue")
    @APIResponse(responseCode = "503", description = "The database did not answer in time")
    public Uni<MovieDetails> movie(
            @Parameter(description = MOVIE_ID, schema = @Schema(ref = "Id")) @PathParam("movie_id") String movieId) {
        int id = QueryParams.required("movie_id", movieId, 1, Integer.MAX_VALUE);
        Catalog catalog = catalogs.current();
        return deadline.bound("reading the movie's facts", () -> repository.facts(id))
                .map(found -> {
                    MovieRepository.Facts f = found.orElseThrow(() -> unknown(id));
                    return new MovieDetails(
                            id,
                            catalog.title(id),
                            catalog.year(id),
                            catalog.genres(id),
                            f.imdbId(),
                            f.tmdbId(),
                            new Stats(f.nRatings(), f.meanRating(), f.bayesScore()),
                            f.topTags());
                });
    }

    @GET
    @Path("{movie_id}/similar")
    @NonBlocking // in memory: answered on the event loop
    @Operation(summary = "A movie's item-to-item neighbours in the production model, most similar first")
    @APIResponse(responseCode = "200", description = "The movie's neighbours (none while no model is loaded)")
    @APIResponse(responseCode = "404", description = "No such movie in the catalogue")
    public SimilarList similar(
            @Parameter(description = MOVIE_ID, schema = @Schema(ref = "Id")) @PathParam("movie_id") String movieId,
            @Parameter(description = LIMIT, schema = @Schema(ref = "Limit")) @QueryParam("limit") String limit) {
        int id = QueryParams.required("movie_id", movieId, 1, Integer.MAX_VALUE);
        int n = QueryParams.optional("limit", limit, 10, 1, MAX_LIMIT);
        ServingModel model = state.model().orElse(null);
        Catalog catalog = catalogs.current();
        List<SimilarMovie> similar = new ArrayList<>(n);
        int i = model == null ? -1 : Arrays.binarySearch(model.neighbors().movieIds(), id);
        if (i < 0 && !catalog.contains(id)) {
            throw unknown(id);
        }
        if (i >= 0) {
            NeighborArrays nb = model.neighbors();
            for (int slot = nb.offsets()[i]; slot < nb.offsets()[i + 1] && similar.size() < n; slot++) {
                int other = nb.neighborIds()[slot];
                similar.add(
                        new SimilarMovie(other, catalog.title(other), catalog.genres(other), nb.similarities()[slot]));
            }
        }
        return new SimilarList(id, catalog.title(id), version(model), similar);
    }

    private static String version(ServingModel model) {
        return model == null ? null : Integer.toString(model.version().version());
    }

    private static NotFoundException unknown(int id) {
        return new NotFoundException("movie " + id + " is not in the catalogue");
    }
}
