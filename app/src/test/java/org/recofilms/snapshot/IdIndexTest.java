package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Positive;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IdIndexTest {

    @Property
    void findsWhatABinarySearchFinds(
            @ForAll @Size(max = 200) Set<@Positive Integer> idSet, @ForAll @IntRange(min = -5, max = 5000) int probe) {
        int[] ids = idSet.stream().mapToInt(Integer::intValue).sorted().toArray();
        IdIndex index = new IdIndex(ids);
        for (int id : ids) {
            assertEquals(Arrays.binarySearch(ids, id), index.of(id));
        }
        for (int other : new int[] {probe, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}) {
            int expected = Arrays.binarySearch(ids, other);
            assertEquals(expected < 0 ? -1 : expected, index.of(other));
        }
    }

    @Test
    void tablesDenseIdsAndSearchesSparseOnes() {
        assertTrue(new IdIndex(new int[] {1, 5, 131_262}).dense());
        IdIndex sparse = new IdIndex(new int[] {3, 7, Integer.MAX_VALUE - 1});
        assertFalse(sparse.dense());
        assertEquals(2, sparse.of(Integer.MAX_VALUE - 1));
        assertEquals(1, sparse.of(7));
        assertEquals(-1, sparse.of(8));
        assertEquals(-1, new IdIndex(new int[0]).of(1));
    }
}
