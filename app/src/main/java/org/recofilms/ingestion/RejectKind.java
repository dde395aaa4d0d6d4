package org.recofilms.ingestion;

/**
 * Why one line of a MovieLens CSV file is rejected. The ingestion loader reports rejects with these
 * kinds and the data generator injects bad lines of each kind, so a test can check that every
 * injected line is rejected for exactly the reason it was made for.
 */
public enum RejectKind {
    /** The line splits into more or fewer fields than the file's header has. */
    WRONG_COLUMN_COUNT,
    /** A userId, movieId or tagId field is not a base-10 integer, or does not fit in 32 bits. */
    NON_NUMERIC_ID,
    /** A userId, movieId or tagId is an integer but zero or negative: MovieLens ids start at 1. */
    NON_POSITIVE_ID,
    /** A rating is a number outside [0.5, 5.0]. */
    RATING_OUT_OF_RANGE,
    /** A rating lies inside [0.5, 5.0] but is not a multiple of 0.5. */
    RATING_NOT_HALF_STEP,
    /** A second rating line for a (userId, movieId) pair already seen earlier in the file. */
    DUPLICATE_PAIR,
    /** A rating or tag refers to a movieId that movies.csv does not define. */
    UNKNOWN_MOVIE,
    /** A double quote opens a field and is never closed on the same physical line. */
    BROKEN_QUOTING,
    /** A field other than an id (a timestamp, a relevance, an imdbId) is not a number (or not a finite one), or a required text is empty or holds a NUL character. */
    BAD_VALUE,
    /** A genome score refers to a tagId that genome-tags.csv does not define. */
    UNKNOWN_TAG
}
