package org.recofilms.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ratings the app accepted (answered 201) during a soak, by user and movie, to be looked for
 * in the database afterwards. The soak rates each (user, movie) pair once, so an accepted pair
 * must be stored with the accepted rating: anything else is lost.
 */
final class RatingLedger {

    record Pair(int userId, int movieId) {}

    private final Map<Pair, Double> accepted = new ConcurrentHashMap<>();

    /** Records a rating the app answered 201 to; a pair is rated once. */
    void accepted(int userId, int movieId, double rating) {
        if (accepted.putIfAbsent(new Pair(userId, movieId), rating) != null) {
            throw new IllegalArgumentException("(" + userId + ", " + movieId + ") was already rated");
        }
    }

    int size() {
        return accepted.size();
    }

    /** The accepted ratings that {@code stored} (pair to rating, as read back) lacks or holds with another value. */
    List<Pair> lost(Map<Pair, Double> stored) {
        List<Pair> lost = new ArrayList<>();
        accepted.forEach((pair, rating) -> {
            Double found = stored.get(pair);
            if (found == null || Math.abs(found - rating) > 1e-9) {
                lost.add(pair);
            }
        });
        return lost;
    }
}
