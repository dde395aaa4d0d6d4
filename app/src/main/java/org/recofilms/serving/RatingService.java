package org.recofilms.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.RecoConfig;
import org.recofilms.serving.RatingsRepository.SubmittedRating;

/**
 * Real-time ratings: validated (known movies, half steps from 0.5 to 5.0), stored durably in
 * {@code raw.feedback_ratings} first, then published as {@link RatingSubmitted}. The next
 * recommendation reads the stored rating; no retraining is needed for it to count.
 */
@ApplicationScoped
public class RatingService {

    private static final Logger LOG = Logger.getLogger(RatingService.class);

    /** The most ratings one request may carry. */
    public static final int MAX_BATCH = 500;

    private final RatingsRepository repository;
    private final MutinyEmitter<RatingSubmitted> emitter;
    private final ServingMetrics metrics;
    private final RecoConfig config;
    private final ObjectMapper json;

    public RatingService(
            RatingsRepository repository,
            @Channel("ratings-out") MutinyEmitter<RatingSubmitted> emitter,
            ServingMetrics metrics,
            RecoConfig config,
            ObjectMapper json) {
        this.repository = repository;
        this.emitter = emitter;
        this.metrics = metrics;
        this.config = config;
        this.json = json;
    }

    /** The body of the answer: what was stored, and whether every RatingSubmitted reached Kafka. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stored(int userId, List<StoredRating> stored, boolean published) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StoredRating(int movieId, float rating, long timestamp) {}

    /** Parses, validates and stores {@code body}: one {"movie_id", "rating"} object or a list of them. */
    public Uni<Stored> submit(int userId, String body) {
        List<SubmittedRating> ratings = parse(body);
        Integer[] movieIds = ratings.stream().map(SubmittedRating::movieId).toArray(Integer[]::new);
        return repository.knownMovies(movieIds).flatMap(known -> {
            TreeSet<Integer> unknown = new TreeSet<>();
            for (Integer id : movieIds) {
                if (!known.contains(id)) {
                    unknown.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                return Uni.createFrom().failure(new NotFoundException("unknown movie_id: " + unknown));
            }
            long now = System.currentTimeMillis() / 1000;
            return repository.upsert(userId, ratings, now).flatMap(ignored -> {
                metrics.ratingsStored(ratings.size());
                List<StoredRating> stored = ratings.stream()
                        .map(r -> new StoredRating(r.movieId(), r.rating(), now))
                        .toList();
                return publish(userId, stored).map(published -> new Stored(userId, stored, published));
            });
        });
    }

    /** The ratings are stored already: a broker that does not answer is logged, and the answer says so. */
    private Uni<Boolean> publish(int userId, List<StoredRating> stored) {
        List<Uni<Void>> sends = new ArrayList<>(stored.size());
        for (StoredRating r : stored) {
            sends.add(
                    emitter.sendMessage(Message.of(new RatingSubmitted(userId, r.movieId(), r.rating(), r.timestamp()))
                            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                    .withKey(Integer.toString(userId))
                                    .build())));
        }
        return Uni.join()
                .all(sends)
                .andFailFast()
                .ifNoItem()
                .after(config.serving().publishTimeout())
                .fail()
                .map(ignored -> true)
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("ratings of user %d stored but not published to Kafka: %s", userId, e.getMessage());
                    return false;
                });
    }

    private List<SubmittedRating> parse(String body) {
        if (body == null || body.isBlank()) {
            throw new BadRequestException("the body must be {\"movie_id\": .., \"rating\": ..} or a list of them");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequestException("the body is not JSON: " + e.getOriginalMessage());
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(items::add);
        } else {
            items.add(root);
        }
        if (items.isEmpty()) {
            throw new BadRequestException("the list of ratings is empty");
        }
        if (items.size() > MAX_BATCH) {
            throw new BadRequestException("at most " + MAX_BATCH + " ratings per request, got " + items.size());
        }
        // the same movie twice in one request is ambiguous: refused, not guessed
        Map<Integer, SubmittedRating> byMovie = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String where = root.isArray() ? "ratings[" + i + "]" : "the rating";
            SubmittedRating r = rating(items.get(i), where);
            if (byMovie.putIfAbsent(r.movieId(), r) != null) {
                throw new BadRequestException(where + ": movie_id " + r.movieId() + " is rated twice in this list");
            }
        }
        return List.copyOf(byMovie.values());
    }

    private static SubmittedRating rating(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new BadRequestException(where + " must be an object {\"movie_id\": .., \"rating\": ..}");
        }
        JsonNode movie = node.get("movie_id");
        JsonNode rating = node.get("rating");
        if (movie == null || !movie.canConvertToInt() || !movie.isIntegralNumber() || movie.intValue() < 1) {
            throw new BadRequestException(where + ": movie_id must be a positive integer");
        }
        if (rating == null || !rating.isNumber()) {
            throw new BadRequestException(where + ": rating must be a number from 0.5 to 5.0 in half steps");
        }
        double value = rating.doubleValue();
        double halves = value * 2;
        if (value < 0.5 || value > 5.0 || halves != Math.rint(halves)) {
            throw new BadRequestException(
                    where + ": rating must be from 0.5 to 5.0 in half steps, got " + rating.asText());
        }
        return new SubmittedRating(movie.intValue(), (float) value);
    }
}
