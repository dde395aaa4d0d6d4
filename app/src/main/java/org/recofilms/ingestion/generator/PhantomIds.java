package org.recofilms.ingestion.generator;

import java.util.Arrays;
import org.recofilms.ingestion.RejectKind;

/**
 * movieIds that no good movie line defines: the gaps between real ids and a few ids after the last.
 * Broken-quoting movie lines take some of them; unknown-movie rating lines take others, never the
 * same ones, so that a loader's verdict on one bad line never depends on another.
 */
final class PhantomIds {

    private static final long PHANTOM = 201;

    /** The ids of the broken-quoting lines of movies.csv, increasing. */
    final int[] broken;

    private final int[] unknownPool;

    PhantomIds(final Catalog catalog, final GeneratorConfig config) {
        final int brokenCount = config.badRows().count(RejectKind.BROKEN_QUOTING);
        final int unknownCount = config.badRows().count(RejectKind.UNKNOWN_MOVIE);
        final int extra = brokenCount + unknownCount + 64;
        final int[] candidates = new int[catalog.maxId() - catalog.count + extra];
        int size = 0;
        int next = 0;
        for (int id = 1; id <= catalog.maxId(); id++) {
            if (next < catalog.count && catalog.ids[next] == id) {
                next++;
            } else {
                candidates[size++] = id;
            }
        }
        for (int i = 1; i <= extra; i++) {
            candidates[size++] = catalog.maxId() + i;
        }
        final Rng rng = Rng.stream(config.randomSeed(), PHANTOM, 0);
        for (int i = 0; i < brokenCount; i++) {
            final int j = i + rng.nextInt(size - i);
            final int swap = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = swap;
        }
        this.broken = Arrays.copyOf(candidates, brokenCount);
        Arrays.sort(broken);
        this.unknownPool = Arrays.copyOfRange(candidates, brokenCount, size);
    }

    /** A random id that is neither a movie nor a broken-quoting line. */
    int unknown(final Rng rng) {
        return unknownPool[rng.nextInt(unknownPool.length)];
    }
}
