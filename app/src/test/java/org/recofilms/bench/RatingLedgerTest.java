package org.recofilms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.recofilms.bench.RatingLedger.Pair;

class RatingLedgerTest {

    @Test
    void anAcceptedRatingMissingOrStoredWithAnotherValueIsLost() {
        RatingLedger ledger = new RatingLedger();
        ledger.accepted(1, 10, 4.5);
        ledger.accepted(1, 11, 3.0);
        ledger.accepted(2, 10, 0.5);
        Map<Pair, Double> stored = Map.of(
                new Pair(1, 10), 4.5, // kept
                new Pair(2, 10), 1.0, // another value
                new Pair(3, 12), 5.0); // stored but never accepted (an answer lost on the way): not a loss
        assertEquals(3, ledger.size());
        assertEquals(
                List.of(new Pair(1, 11), new Pair(2, 10)),
                ledger.lost(stored).stream()
                        .sorted(java.util.Comparator.comparingInt(Pair::userId).thenComparingInt(Pair::movieId))
                        .toList());
    }

    @Test
    void nothingIsLostWhenEveryAcceptedRatingIsStored() {
        RatingLedger ledger = new RatingLedger();
        ledger.accepted(7, 70, 2.5);
        assertEquals(List.of(), ledger.lost(Map.of(new Pair(7, 70), 2.5)));
    }

    @Test
    void aPairIsRatedOnce() {
        RatingLedger ledger = new RatingLedger();
        ledger.accepted(1, 1, 1.0);
        assertThrows(IllegalArgumentException.class, () -> ledger.accepted(1, 1, 2.0));
    }
}
