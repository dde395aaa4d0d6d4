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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.DatabaseDeadline;
import org.recofilms.platform.Failures;
import org.recofilms.platform.RecoConfig;
import org.recofilms.platform.Topics;
import org.recofilms.platform.UnavailableException;
import org.recofilms.serving.RatingsRepository.SubmittedRating;

/**
 * Real-time ratings: validated (known movies, half steps from 0.5 to 5.0), stored durably in
 * {@code raw.feedback_ratings} first, then applied to this instance's in-memory histories (the next
 * recommendation here reflects it) and published as {@link RatingSubmitted} for the other instances; no
 * retraining is needed for it to count. Each database
 * call has the deadline {@code reco.serving.database-timeout}: past it the answer is a 503 and
 * nothing is stored (the upsert checks the deadline itself). A broker that does not acknowledge in
 * {@code reco.serving.publish-timeout} leaves the ratings stored, and the answer says why they were
 * not published.
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
    private final DatabaseDeadline deadline;
    private final HistoryService histories;

    public RatingService(
            RatingsRepository repository,
            @Channel("ratings-out") MutinyEmitter<RatingSubmitted> emitter,
            ServingMetrics metrics,
            RecoConfig config,
            ObjectMapper json,
            DatabaseDeadline deadline,
            HistoryService histories) {
        this.histories = histories;
        this.repository = repository;
        this.emitter = emitter;
        this.metrics = metrics;
        this.config = config;
        this.json = json;
        this.deadline = deadline;
    }

    /**
     * The body of the answer: what was stored, whether every RatingSubmitted reached Kafka and, when
     * not, why ({@code publish_error}, null when published).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stored(
            int userId,
            List<StoredRating> stored,
            boolean published,

            @Schema(nullable = true, description = "why not every rating reached Kafka; null when published")
            String publishError) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StoredRating(int movieId, float rating, long timestamp) {}

    /** Parses, validates and stores {@code body}: one {"movie_id", "rating"} object or a list of them. */
    public Uni<Stored> submit(int userId, String body) {
        List<SubmittedRating> ratings = parse(body);
        Integer[] movieIds = ratings.stream().map(SubmittedRating::movieId).toArray(Integer[]::new);
        return deadline.bound("checking the movie ids", () -> repository.knownMovies(movieIds))
                .flatMap(known -> {
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
                    return deadline.bound(
                                    "storing the ratings",
                                    () -> repository.upsert(userId, ratings, now, deadline.statementDeadline()))
                            .flatMap(inTime -> {
                                if (!inTime) {
                                    return Uni.createFrom()
                                            .failure(new UnavailableException(
                                                    DatabaseDeadline.ERROR,
                                                    "PostgreSQL ran the statement after its deadline: nothing was stored",
                                                    deadline.timeout(),
                                                    null));
                                }
                                metrics.ratingsStored(ratings.size());
                                // read-your-writes: this instance serves them at once, before Kafka echoes them
                                for (SubmittedRating r : ratings) {
                                    histories.apply(userId, r.movieId(), r.rating(), now);
                                }
                                List<StoredRating> stored = ratings.stream()
                                        .map(r -> new StoredRating(r.movieId(), r.rating(), now))
                                        .toList();
                                return publish(userId, stored)
                                        .map(error -> new Stored(userId, stored, error == null, error));
                            });
                });
    }

    /**
     * The ratings are stored already: a broker that does not answer is logged, and the answer says
     * so. Null when every record was acknowledged, else why not.
     */
    private Uni<String> publish(int userId, List<StoredRating> stored) {
        List<Uni<Void>> sends = new ArrayList<>(stored.size());
        for (StoredRating r : stored) {
            sends.add(
                    emitter.sendMessage(Message.of(new RatingSubmitted(userId, r.movieId(), r.rating(), r.timestamp()))
                            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                    .withKey(Integer.toString(userId))
                                    .build())));
        }
        Duration timeout = config.serving().publishTimeout();
        return Uni.join()
                .all(sends)
                .andFailFast()
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new TimeoutException(
                        "Kafka did not acknowledge " + Topics.RATINGS + " within " + timeout.toMillis() + " ms"))
                .map(ignored -> (String) null)
                .onFailure()
                .recoverWithItem(e -> {
                    String error = "stored but not published to Kafka: " + Failures.describe(e);
                    LOG.warnf("ratings of user %d %s", userId, error);
                    return error;
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
