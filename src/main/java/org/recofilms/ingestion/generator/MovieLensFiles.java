package org.recofilms.ingestion.generator;

import java.util.List;

/** File names and header rows of the MovieLens 20M release. */
public final class MovieLensFiles {

    /** {@code movieId,title,genres}. */
    public static final String MOVIES = "movies.csv";
    /** {@code userId,movieId,rating,timestamp}. */
    public static final String RATINGS = "ratings.csv";
    /** {@code userId,movieId,tag,timestamp}. */
    public static final String TAGS = "tags.csv";
    /** {@code movieId,imdbId,tmdbId}. */
    public static final String LINKS = "links.csv";
    /** {@code tagId,tag}. */
    public static final String GENOME_TAGS = "genome-tags.csv";
    /** {@code movieId,tagId,relevance}. */
    public static final String GENOME_SCORES = "genome-scores.csv";

    /** The six files in the order the generator writes them. */
    public static final List<String> ALL = List.of(MOVIES, LINKS, RATINGS, TAGS, GENOME_TAGS, GENOME_SCORES);

    /** The folder that holds the files inside the GroupLens zip. */
    public static final String ZIP_FOLDER = "ml-20m/";

    private MovieLensFiles() {}

    /** The header row of a file, without the line end. */
    public static String header(final String file) {
        return switch (file) {
            case MOVIES -> "movieId,title,genres";
            case RATINGS -> "userId,movieId,rating,timestamp";
            case TAGS -> "userId,movieId,tag,timestamp";
            case LINKS -> "movieId,imdbId,tmdbId";
            case GENOME_TAGS -> "tagId,tag";
            case GENOME_SCORES -> "movieId,tagId,relevance";
            default -> throw new IllegalArgumentException("not a MovieLens 20M file: " + file);
        };
    }
}
