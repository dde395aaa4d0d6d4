package org.recofilms.ingestion.generator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.RejectKind;

/**
 * How many bad lines the generator injects, per {@link RejectKind}, for the ingestion tests.
 *
 * <p>Where each kind goes:
 *
 * <ul>
 *   <li>{@link RejectKind#BROKEN_QUOTING} goes into {@code movies.csv}: {@code 123,"Title (1999),Drama},
 *       a title field that opens a quote and never closes it, on one physical line. Its movieId is
 *       defined nowhere else and no rating or tag refers to it, so rejecting it rejects nothing else.
 *   <li>{@link RejectKind#UNKNOWN_TAG} goes into {@code genome-scores.csv}.
 *   <li>Every other kind goes into {@code ratings.csv}.
 *   <li>{@link #tagWrongColumnCount()} more {@link RejectKind#WRONG_COLUMN_COUNT} lines go into
 *       {@code tags.csv} (an unquoted tag with a comma, or a missing timestamp).
 * </ul>
 *
 * <p>The exact shape of each line is described on {@link MovieLensGenerator}.
 *
 * @param counts bad lines per kind, in the kind's home file (kinds left out mean zero)
 * @param tagWrongColumnCount extra {@code WRONG_COLUMN_COUNT} lines in {@code tags.csv}
 */
public record BadRows(Map<RejectKind, Integer> counts, int tagWrongColumnCount) {

    /** The kinds the generator can inject, in enum order. */
    public static final Set<RejectKind> SUPPORTED = Collections.unmodifiableSet(EnumSet.of(
            RejectKind.WRONG_COLUMN_COUNT,
            RejectKind.NON_NUMERIC_ID,
            RejectKind.RATING_OUT_OF_RANGE,
            RejectKind.RATING_NOT_HALF_STEP,
            RejectKind.DUPLICATE_PAIR,
            RejectKind.UNKNOWN_MOVIE,
            RejectKind.BROKEN_QUOTING,
            RejectKind.BAD_VALUE,
            RejectKind.UNKNOWN_TAG));

    public BadRows {
        final EnumMap<RejectKind, Integer> copy = new EnumMap<>(RejectKind.class);
        for (final Map.Entry<RejectKind, Integer> entry : counts.entrySet()) {
            final int count = entry.getValue();
            if (count < 0) {
                throw new IllegalArgumentException("negative bad-row count for " + entry.getKey());
            }
            if (count > 0) {
                homeFile(entry.getKey());
                copy.put(entry.getKey(), count);
            }
        }
        if (tagWrongColumnCount < 0) {
            throw new IllegalArgumentException("negative tag bad-row count");
        }
        counts = Collections.unmodifiableMap(copy);
    }

    /** No bad lines at all: the files are clean. */
    public static BadRows none() {
        return new BadRows(Map.of(), 0);
    }

    /** {@code count} lines of one kind. */
    public static BadRows of(final RejectKind kind, final int count) {
        return none().with(kind, count);
    }

    /**
     * {@code count} lines of every kind the generator can inject ({@link #SUPPORTED}), plus {@code
     * count} wrong-column-count lines in tags.csv.
     */
    public static BadRows eachKind(final int count) {
        final EnumMap<RejectKind, Integer> all = new EnumMap<>(RejectKind.class);
        for (final RejectKind kind : SUPPORTED) {
            all.put(kind, count);
        }
        return new BadRows(all, count);
    }

    /** A copy with the count of one kind replaced. */
    public BadRows with(final RejectKind kind, final int count) {
        final EnumMap<RejectKind, Integer> copy = new EnumMap<>(RejectKind.class);
        copy.putAll(counts);
        copy.put(kind, count);
        return new BadRows(copy, tagWrongColumnCount);
    }

    /** A copy with the number of wrong-column-count lines in tags.csv replaced. */
    public BadRows withTagWrongColumnCount(final int count) {
        return new BadRows(counts, count);
    }

    /** Lines of one kind in its home file (not counting tags.csv). */
    public int count(final RejectKind kind) {
        return counts.getOrDefault(kind, 0);
    }

    /** All bad lines in all files. */
    public long total() {
        long total = tagWrongColumnCount;
        for (final int count : counts.values()) {
            total += count;
        }
        return total;
    }

    /**
     * The file a kind is injected into.
     *
     * @throws IllegalArgumentException for a kind the generator cannot inject
     */
    public static String homeFile(final RejectKind kind) {
        return switch (kind) {
            case BROKEN_QUOTING -> MovieLensFileSet.MOVIES;
            case UNKNOWN_TAG -> MovieLensFileSet.GENOME_SCORES;
            case WRONG_COLUMN_COUNT,
                    NON_NUMERIC_ID,
                    RATING_OUT_OF_RANGE,
                    RATING_NOT_HALF_STEP,
                    DUPLICATE_PAIR,
                    UNKNOWN_MOVIE,
                    BAD_VALUE -> MovieLensFileSet.RATINGS;
            default -> throw new IllegalArgumentException("the generator cannot inject " + kind + " lines");
        };
    }
}
