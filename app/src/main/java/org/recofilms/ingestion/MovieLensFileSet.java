package org.recofilms.ingestion;

import java.util.List;
import java.util.Set;

/** The six files of a MovieLens 20M release, their headers, and which of them a load requires. */
public final class MovieLensFileSet {

    public static final String MOVIES = "movies.csv";
    public static final String RATINGS = "ratings.csv";
    public static final String TAGS = "tags.csv";
    public static final String LINKS = "links.csv";
    public static final String GENOME_TAGS = "genome-tags.csv";
    public static final String GENOME_SCORES = "genome-scores.csv";

    /** In load order: movies first, since ratings, tags and links are checked against them. */
    public static final List<String> ALL = List.of(MOVIES, RATINGS, TAGS, LINKS, GENOME_TAGS, GENOME_SCORES);

    /** Without these a load is meaningless; the others may be absent in smaller MovieLens releases. */
    public static final Set<String> REQUIRED = Set.of(MOVIES, RATINGS);

    private MovieLensFileSet() {}

    /** The exact header line each file must start with. */
    public static String header(String file) {
        return switch (file) {
            case MOVIES -> "movieId,title,genres";
            case RATINGS -> "userId,movieId,rating,timestamp";
            case TAGS -> "userId,movieId,tag,timestamp";
            case LINKS -> "movieId,imdbId,tmdbId";
            case GENOME_TAGS -> "tagId,tag";
            case GENOME_SCORES -> "movieId,tagId,relevance";
            default -> throw new IllegalArgumentException("not a MovieLens file: " + file);
        };
    }
}
