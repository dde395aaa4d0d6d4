package org.recofilms.ingestion.generator;

import java.util.Arrays;

/**
 * The hidden taste cluster of every generated movie: the ground truth that item-kNN tests can
 * check neighbours against (a good model puts most neighbours of a movie in its cluster). Users
 * draw most of their movies from one to three favourite clusters and rate them higher.
 */
public final class TasteClusters {

    private final int[] movieIds;
    private final int[] clusters;
    private final String[] names;

    TasteClusters(final Catalog catalog) {
        this.movieIds = catalog.ids.clone();
        this.clusters = catalog.clusters.clone();
        this.names = new String[catalog.clusterCount];
        for (int c = 0; c < names.length; c++) {
            names[c] = Catalog.CLUSTERS[c].name;
        }
    }

    /** Number of clusters, numbered 0..count-1. */
    public int count() {
        return names.length;
    }

    /** The cluster of a movie, or -1 when no generated movie has this id. */
    public int clusterOf(final int movieId) {
        final int index = Arrays.binarySearch(movieIds, movieId);
        return index < 0 ? -1 : clusters[index];
    }

    /** The core genres of a cluster, e.g. {@code Horror|Thriller}; its movies mostly carry them. */
    public String name(final int cluster) {
        return names[cluster];
    }

    /** All movieIds, increasing. */
    public int[] movieIds() {
        return movieIds.clone();
    }
}
