package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The store against a naive model (a sorted map per user): base rows, then ratings applied, merged (compact) and
 * a base replaced, in any interleaving; every user's ratings must equal the model's after every step.
 */
class UserHistoriesTest {

    /** One step: a rating (op 0..7), a compaction (8) or a reload of the base from the model (9). */
    record Op(int kind, int user, int movie, int halves) {}

    @Property(tries = 300)
    void everyUsersRatingsEqualTheNaiveModel(@ForAll("rows") List<Op> baseRows, @ForAll("ops") List<Op> ops) {
        Map<Integer, TreeMap<Integer, Float>> model = new TreeMap<>();
        for (Op r : baseRows) {
            model.computeIfAbsent(r.user(), u -> new TreeMap<>()).put(r.movie(), r.halves() / 2f);
        }
        UserHistories store = new UserHistories(base(model));
        check(store, model);
        long ts = 1;
        for (Op op : ops) {
            if (op.kind() == 8) {
                store.compact();
            } else if (op.kind() == 9) {
                store.replaceBase(base(model)); // a reload: the database holds what the overlay holds
            } else {
                float rating = op.halves() / 2f;
                store.apply(op.user(), op.movie(), rating, ts++);
                model.computeIfAbsent(op.user(), u -> new TreeMap<>()).put(op.movie(), rating);
            }
            check(store, model);
        }
        store.compact();
        check(store, model);
        assertEquals(0, store.overlaySize());
        assertEquals(
                model.values().stream().mapToInt(Map::size).sum(), store.base().ratings());
    }

    @Test
    void anOlderRatingNeverReplacesANewerOne() {
        UserHistories store = UserHistories.empty();
        store.apply(7, 3, 4.5f, 200);
        store.apply(7, 3, 1.0f, 100); // a late echo of an earlier rating
        assertArrayEquals(new float[] {4.5f}, store.get(7).ratings());
        store.apply(7, 3, 2.0f, 200); // same second: the later call wins
        assertArrayEquals(new float[] {2.0f}, store.get(7).ratings());
    }

    @Test
    void theBuilderRefusesRowsOutOfOrder() {
        UserHistories.Builder b = new UserHistories.Builder();
        b.add(2, 5, 3f);
        assertThrows(IllegalArgumentException.class, () -> b.add(2, 5, 3f));
        assertThrows(IllegalArgumentException.class, () -> b.add(1, 9, 3f));
    }

    @Test
    void anUnknownUserHasNoRatings() {
        assertEquals(0, UserHistories.empty().get(42).size());
    }

    private static UserHistories.Base base(Map<Integer, TreeMap<Integer, Float>> model) {
        UserHistories.Builder b = new UserHistories.Builder(4);
        model.forEach((user, ratings) -> ratings.forEach((movie, rating) -> b.add(user, movie, rating)));
        return b.build();
    }

    private static void check(UserHistories store, Map<Integer, TreeMap<Integer, Float>> model) {
        for (int user = 0; user <= 12; user++) {
            TreeMap<Integer, Float> expected = model.getOrDefault(user, new TreeMap<>());
            UserRatings got = store.get(user);
            assertArrayEquals(
                    expected.keySet().stream().mapToInt(Integer::intValue).toArray(), got.movieIds(), "user " + user);
            float[] ratings = new float[expected.size()];
            int i = 0;
            for (float r : expected.values()) {
                ratings[i++] = r;
            }
            assertArrayEquals(ratings, got.ratings(), "user " + user);
        }
    }

    @Provide
    Arbitrary<List<Op>> rows() {
        return op(Arbitraries.just(0)).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return op(Arbitraries.integers().between(0, 9)).list().ofMaxSize(40);
    }

    private static Arbitrary<Op> op(Arbitrary<Integer> kinds) {
        return Combinators.combine(
                        kinds,
                        Arbitraries.integers().between(1, 11),
                        Arbitraries.integers().between(1, 25),
                        Arbitraries.integers().between(1, 10))
                .as(Op::new);
    }
}
