package org.recofilms.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The three file layouts of the GroupLens MovieLens releases, how a source's file names tell them
 * apart, and which file fills which table. Every layout loads into the same tables; what a layout
 * does not hold (ml-100k has no tags, links or genome) stays empty.
 */
public enum MovieLensLayout {

    /**
     * ml-20m, ml-25m, ml-32m, ml-latest, ml-latest-small: CSV files with a header, UTF-8; the genome
     * files (ml-20m, ml-25m, ml-latest), tags and links are optional.
     */
    CSV(
            "ml-20m, ml-25m, ml-32m, ml-latest or ml-latest-small (ratings.csv, movies.csv)",
            MovieLensFileSet.ALL,
            MovieLensFileSet.REQUIRED),

    /**
     * ml-100k: {@code u.data} (tab separated userId, movieId, rating, timestamp), {@code u.item}
     * ({@code |} separated, Latin-1: id, title, release date, video release date, IMDb URL, then one
     * 0/1 flag per genre of {@code u.genre}) and {@code u.genre} ({@code name|index}). No header.
     */
    ML_100K(
            "ml-100k (u.data, u.item, u.genre)",
            List.of(MovieLensLayout.U_GENRE, MovieLensLayout.U_ITEM, MovieLensLayout.U_DATA),
            Set.of(MovieLensLayout.U_GENRE, MovieLensLayout.U_ITEM, MovieLensLayout.U_DATA)),

    /**
     * ml-1m and ml-10m: {@code ::} separated {@code movies.dat} (id, title, {@code |} genres),
     * {@code ratings.dat} (userId, movieId, rating, timestamp) and, in ml-10m only, {@code tags.dat}
     * (userId, movieId, tag, timestamp). No header. ml-1m's text is Latin-1, ml-10m's UTF-8: a text
     * line that is not valid UTF-8 is read as Latin-1, so either release reads right whatever else
     * its folder holds.
     */
    DAT(
            "ml-1m or ml-10m (ratings.dat, movies.dat)",
            List.of(MovieLensLayout.MOVIES_DAT, MovieLensLayout.RATINGS_DAT, MovieLensLayout.TAGS_DAT),
            Set.of(MovieLensLayout.MOVIES_DAT, MovieLensLayout.RATINGS_DAT));

    public static final String U_DATA = "u.data";
    public static final String U_ITEM = "u.item";
    public static final String U_GENRE = "u.genre";
    public static final String MOVIES_DAT = "movies.dat";
    public static final String RATINGS_DAT = "ratings.dat";
    public static final String TAGS_DAT = "tags.dat";

    private final String description;
    private final List<String> files;
    private final Set<String> required;

    MovieLensLayout(String description, List<String> files, Set<String> required) {
        this.description = description;
        this.files = files;
        this.required = required;
    }

    /** The files of this layout that a load reads, in load order (movies before what refers to them). */
    public List<String> files() {
        return files;
    }

    /** The files without which a load of this layout is meaningless. */
    public Set<String> required() {
        return required;
    }

    /** The releases this layout covers and its key files, for messages. */
    public String description() {
        return description;
    }

    /** The file of this layout that fills {@code table} (a raw_* table name), if it has one. */
    public Optional<String> fileFor(String table) {
        return switch (this) {
            case CSV ->
                files.stream()
                        .filter(f -> StagingTables.tableOf(f).equals(table))
                        .findFirst();
            case ML_100K ->
                switch (table) {
                    case "raw_movies" -> Optional.of(U_ITEM);
                    case "raw_ratings" -> Optional.of(U_DATA);
                    default -> Optional.empty();
                };
            case DAT ->
                switch (table) {
                    case "raw_movies" -> Optional.of(MOVIES_DAT);
                    case "raw_ratings" -> Optional.of(RATINGS_DAT);
                    case "raw_tags" -> Optional.of(TAGS_DAT);
                    default -> Optional.empty();
                };
        };
    }

    /** Every file name of every layout: what a raw data directory may hold. */
    public static Set<String> allFiles() {
        Set<String> all = new LinkedHashSet<>();
        for (MovieLensLayout layout : values()) {
            all.addAll(layout.files);
        }
        return all;
    }

    /**
     * The layout of a source whose files (base names, without folders) are {@code names}: CSV when a
     * ratings.csv or movies.csv is there (today's layout wins over leftovers of another), else
     * ml-100k when a u.data or u.item is, else the .dat layout when a ratings.dat or movies.dat is.
     */
    public static Optional<MovieLensLayout> detect(Collection<String> names) {
        Set<String> set = Set.copyOf(names);
        for (MovieLensLayout layout : values()) {
            if (layout.required.stream().filter(f -> !f.equals(U_GENRE)).anyMatch(set::contains)) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }

    /** The layout of the files in {@code directory} (not its subfolders). */
    public static MovieLensLayout of(Path directory) throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(directory)) {
            names = files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
        return detect(names).orElseThrow(() -> new IngestionException(noLayout(directory.toString())));
    }

    /** The message for a source in which no layout's files were found. */
    static String noLayout(String source) {
        StringBuilder expected = new StringBuilder();
        for (MovieLensLayout layout : values()) {
            expected.append(expected.length() == 0 ? "" : "; ").append(layout.description);
        }
        return "no MovieLens files in " + source + ": expected the files of " + expected;
    }
}
