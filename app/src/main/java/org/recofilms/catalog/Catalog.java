package org.recofilms.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.recofilms.snapshot.IdIndex;
import org.recofilms.snapshot.PopularityArrays;

/**
 * The movie catalogue in memory, immutable and swapped as a whole: ids, titles, genres and years
 * from {@code raw.current_movies}, and the popularity list of {@code raw.movie_popularity} that
 * answers when no model is loaded. Lookups by movie id are binary searches over a sorted int array.
 */
public final class Catalog {

    /** The catalogue before the first load, or of an empty database. */
    public static final Catalog EMPTY = new Catalog(
            "",
            new int[0],
            new String[0],
            new String[0],
            new int[0],
            new PopularityArrays(new int[0], new int[0], new float[0], new double[0]));

    private static final String NO_GENRES = "(no genres listed)";

    private final String version;
    private final int[] ids;
    private final String[] titles;
    private final List<String>[] genres;
    private final int[] years;
    private final String[] searchable;
    private final int[] ratingCounts;
    private final PopularityArrays popularity;
    private final IdIndex index;

    /**
     * @param version what the catalogue was loaded from (the last successful ingestion and training)
     * @param ids movie ids, strictly ascending
     * @param titles titles, aligned with ids
     * @param genres MovieLens genre strings ({@code Action|Comedy}), aligned with ids
     * @param years release years from the titles, 0 when none, aligned with ids
     * @param popularity the database's popularity list
     */
    @SuppressWarnings("unchecked")
    public Catalog(
            String version, int[] ids, String[] titles, String[] genres, int[] years, PopularityArrays popularity) {
        this.version = version;
        this.ids = ids;
        this.index = new IdIndex(ids);
        this.titles = titles;
        this.years = years;
        this.genres = new List[ids.length];
        this.searchable = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            this.genres[i] = genres[i] == null || genres[i].isEmpty() || NO_GENRES.equals(genres[i])
                    ? List.of()
                    : List.of(genres[i].split("\\|"));
            this.searchable[i] = titles[i] == null ? "" : titles[i].toLowerCase(Locale.ROOT);
        }
        this.popularity = popularity;
        this.ratingCounts = new int[ids.length];
        for (int p = 0; p < popularity.size(); p++) {
            int i = Arrays.binarySearch(ids, popularity.movieIds()[p]);
            if (i >= 0) {
                ratingCounts[i] = popularity.nRatings()[p];
            }
        }
    }

    public String version() {
        return version;
    }

    public int size() {
        return ids.length;
    }

    public boolean contains(int movieId) {
        return index.of(movieId) >= 0;
    }

    /** The title, or null for a movie not in the catalogue. */
    public String title(int movieId) {
        int i = index.of(movieId);
        return i < 0 ? null : titles[i];
    }

    /** The genres, empty for a movie not in the catalogue or without genres. */
    public List<String> genres(int movieId) {
        int i = index.of(movieId);
        return i < 0 ? List.of() : genres[i];
    }

    /** The year in the title, or null. */
    public Integer year(int movieId) {
        int i = index.of(movieId);
        return i < 0 || years[i] == 0 ? null : years[i];
    }

    /** The database's popularity list (used when no model is loaded). */
    public PopularityArrays popularity() {
        return popularity;
    }

    /**
     * Movies whose title contains {@code query} (case-insensitive), the most rated first, then by id;
     * at most {@code limit}.
     */
    public List<Integer> search(String query, int limit) {
        String needle = query.strip().toLowerCase(Locale.ROOT);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (searchable[i].contains(needle)) {
                found.add(i);
            }
        }
        found.sort((a, b) -> ratingCounts[a] != ratingCounts[b]
                ? Integer.compare(ratingCounts[b], ratingCounts[a])
                : Integer.compare(ids[a], ids[b]));
        List<Integer> movies = new ArrayList<>(Math.min(limit, found.size()));
        for (int k = 0; k < found.size() && k < limit; k++) {
            movies.add(ids[found.get(k)]);
        }
        return movies;
    }
}
