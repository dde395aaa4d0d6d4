package org.recofilms.serving;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.recofilms.catalog.Catalog;

/**
 * What answers while no model is loaded: a recommender over the catalogue's own popularity list,
 * built once per catalogue (a catalogue is immutable and swapped as a whole) on its first use.
 * Two threads that meet a new catalogue together may both build one; either is right.
 */
@ApplicationScoped
public class PopularityFallback {

    private record Built(Catalog catalog, Recommender recommender) {}

    private final AtomicReference<Built> built = new AtomicReference<>();

    /** The popularity-only recommender of {@code catalog}. */
    public Recommender of(Catalog catalog) {
        Built b = built.get();
        if (b == null || b.catalog() != catalog) {
            b = new Built(catalog, Recommender.popularityOnly(catalog.popularity()));
            built.set(b);
        }
        return b.recommender();
    }
}
