package org.recofilms.ingestion.generator;

import static org.recofilms.ingestion.MovieLensFileSet.GENOME_SCORES;
import static org.recofilms.ingestion.MovieLensFileSet.GENOME_TAGS;
import static org.recofilms.ingestion.MovieLensFileSet.LINKS;
import static org.recofilms.ingestion.MovieLensFileSet.MOVIES;
import static org.recofilms.ingestion.MovieLensFileSet.RATINGS;
import static org.recofilms.ingestion.MovieLensFileSet.TAGS;

import java.util.List;

/**
 * How the generator lays the MovieLens files out; their names and headers are
 * {@link org.recofilms.ingestion.MovieLensFileSet}'s, shared with the loader.
 */
public final class MovieLensFiles {

    /** The six files in the order the generator writes them. */
    public static final List<String> ALL = List.of(MOVIES, LINKS, RATINGS, TAGS, GENOME_TAGS, GENOME_SCORES);

    /** The folder that holds the files inside the GroupLens zip. */
    public static final String ZIP_FOLDER = "ml-20m/";

    private MovieLensFiles() {}
}
