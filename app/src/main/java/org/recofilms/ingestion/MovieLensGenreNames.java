package org.recofilms.ingestion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.recofilms.ingestion.generator.MovieLensGenres;

/**
 * The genre names of the older releases and today's. ml-100k and ml-1m say {@code Children's} where
 * ml-20m and later say {@code Children}, and ml-100k flags movies without a genre {@code unknown}
 * where later releases write {@code (no genres listed)}; every layout is loaded with today's names,
 * so that the genre check and everything downstream see one vocabulary.
 */
public final class MovieLensGenreNames {

    /** The genres field of a movie without genres. */
    public static final String NO_GENRES = MovieLensGenres.NO_GENRES;
    /** The old name of the Children genre (ml-100k, ml-1m, ml-10m). */
    public static final String OLD_CHILDREN = "Children's";
    /** ml-100k's genre for a movie without one. */
    public static final String UNKNOWN = "unknown";

    /** The genres of u.genre in the real ml-100k, in its index order. */
    public static final List<String> ML_100K = List.of(
            UNKNOWN,
            "Action",
            "Adventure",
            "Animation",
            OLD_CHILDREN,
            "Comedy",
            "Crime",
            "Documentary",
            "Drama",
            "Fantasy",
            "Film-Noir",
            "Horror",
            "Musical",
            "Mystery",
            "Romance",
            "Sci-Fi",
            "Thriller",
            "War",
            "Western");

    private MovieLensGenreNames() {}

    /** Today's name of an old genre name; null for none ({@code unknown}, an empty name). */
    public static String modern(String name) {
        return switch (name) {
            case OLD_CHILDREN -> "Children";
            case UNKNOWN, "" -> null;
            default -> name;
        };
    }

    /** The old name of today's genre name ({@code Children} becomes {@code Children's}). */
    public static String old(String name) {
        return name.equals("Children") ? OLD_CHILDREN : name;
    }

    /**
     * The genres of a u.genre file ({@code name|index} per line, blank lines ignored) in index
     * order: the order of u.item's flags.
     *
     * @throws IngestionException when a line is not of that form or the indexes are not 0..n-1
     */
    static List<String> readUGenre(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IngestionException("required file missing: " + MovieLensLayout.U_GENRE
                    + " (ml-100k's genre list, which u.item's flags refer to)");
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int bar = line.lastIndexOf('|');
            Integer index = null;
            if (bar > 0) {
                try {
                    index = Integer.valueOf(line.substring(bar + 1).strip());
                } catch (NumberFormatException e) {
                    index = null;
                }
            }
            if (index == null || index < 0 || byIndex.put(index, line.substring(0, bar)) != null) {
                throw new IngestionException("bad line " + (i + 1) + " in " + MovieLensLayout.U_GENRE
                        + ": expected 'name|index' with a new index, found '" + line + "'");
            }
        }
        if (byIndex.isEmpty() || byIndex.lastKey() != byIndex.size() - 1) {
            throw new IngestionException(
                    MovieLensLayout.U_GENRE + " must number its genres 0.." + (byIndex.size() - 1) + ": " + byIndex);
        }
        return new ArrayList<>(byIndex.values());
    }
}
