package org.recofilms.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the database knows of one movie beyond the in-memory catalogue: links, live stats, genome tags. */
@ApplicationScoped
public class MovieRepository {

    /** How many genome tags a movie's details list. */
    public static final int TOP_TAGS = 10;

    private final Pool pool;

    public MovieRepository(Pool pool) {
        this.pool = pool;
    }

    /** Links and stats of a movie; counts and mean are live (MovieLens plus real-time feedback). */
    public record Facts(
            Integer imdbId, Integer tmdbId, long nRatings, Double meanRating, Double bayesScore, List<Tag> topTags) {}

    public record Tag(String tag, double relevance) {}

    public Uni<Optional<Facts>> facts(int movieId) {
        // count and mean from one pass over the movie's ratings
        Uni<Optional<Row>> main = pool.preparedQuery("SELECT l.\"imdbId\", l.\"tmdbId\", s.n, s.mean, p.bayes_score"
                        + " FROM raw.raw_movies m"
                        + " CROSS JOIN LATERAL (SELECT count(*) AS n, avg(r.rating)::float8 AS mean"
                        + " FROM raw.current_ratings r WHERE r.\"movieId\" = m.\"movieId\") s"
                        + " LEFT JOIN raw.raw_links l ON l.\"movieId\" = m.\"movieId\""
                        + " LEFT JOIN raw.movie_popularity p ON p.\"movieId\" = m.\"movieId\""
                        + " WHERE m.\"movieId\" = $1")
                .execute(Tuple.of(movieId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(rows.iterator().next()));
        Uni<List<Tag>> tags = pool.preparedQuery("SELECT t.tag, s.relevance FROM raw.raw_genome_scores s"
                        + " JOIN raw.raw_genome_tags t ON t.\"tagId\" = s.\"tagId\""
                        + " WHERE s.\"movieId\" = $1 ORDER BY s.relevance DESC, t.tag LIMIT " + TOP_TAGS)
                .execute(Tuple.of(movieId))
                .map(rows -> {
                    List<Tag> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Tag(r.getString(0), r.getFloat(1))));
                    return out;
                });
        return Uni.combine()
                .all()
                .unis(main, tags)
                .asTuple()
                .map(t -> t.getItem1()
                        .map(row -> new Facts(
                                row.getInteger(0),
                                row.getInteger(1),
                                row.getLong(2),
                                row.getDouble(3),
                                row.getDouble(4),
                                t.getItem2())));
    }
}
