package org.recofilms.ingestion.generator;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.MovieLensGenreNames;
import org.recofilms.ingestion.MovieLensLayout;

/**
 * Rewrites generated ML-20M files as another release lays them out, streaming line by line. What the
 * release cannot hold is changed the way the release itself would have it:
 *
 * <ul>
 *   <li>ml-100k and ml-1m hold whole stars only: a half star is rounded up (3.5 becomes 4); their
 *       text is Latin-1, a character outside it becomes {@code ?}; they know no IMAX genre.
 *   <li>ml-100k, ml-1m and ml-10m call the Children genre {@code Children's}; ml-100k flags a movie
 *       without genres {@code unknown}, ml-1m writes {@code (no genres listed)} for it.
 *   <li>ml-100k: u.data (tab separated), u.item (id, title, a release date from the title's year,
 *       an empty video release date, an IMDb URL, 19 genre flags), u.genre; no tags, links or genome.
 *   <li>ml-1m: movies.dat and ratings.dat; ml-10m also tags.dat ({@code ::} separated).
 *   <li>ml-32m and ml-latest-small: the CSV files without the genome; ml-25m and ml-latest: all six.
 * </ul>
 */
final class ReleaseWriter {

    private static final CSVFormat CSV =
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    private static final Pattern YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");

    private ReleaseWriter() {}

    /**
     * Writes {@code release}'s files from the ML-20M files in {@code csvDir} into {@code target};
     * returns the good rows per file written, in writing order.
     */
    static Map<String, Long> write(MovieLensRelease release, GenerationReport csv, Path target) throws IOException {
        Path csvDir = csv.target();
        Files.createDirectories(target);
        Map<String, Long> rows = new LinkedHashMap<>();
        switch (release.layout()) {
            case CSV -> {
                for (String file : MovieLensFiles.ALL) {
                    boolean genomeFile =
                            file.equals(MovieLensFileSet.GENOME_TAGS) || file.equals(MovieLensFileSet.GENOME_SCORES);
                    if (genomeFile && !release.hasGenome()) {
                        continue;
                    }
                    Files.move(csvDir.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                    rows.put(file, csv.goodRows(file));
                }
            }
            case ML_100K -> {
                rows.put(MovieLensLayout.U_GENRE, (long) writeUGenre(target.resolve(MovieLensLayout.U_GENRE)));
                rows.put(MovieLensLayout.U_ITEM, writeUItem(csvDir, target.resolve(MovieLensLayout.U_ITEM)));
                rows.put(
                        MovieLensLayout.U_DATA,
                        writeRatings(release, csvDir, target.resolve(MovieLensLayout.U_DATA), "\t"));
            }
            case DAT -> {
                rows.put(
                        MovieLensLayout.MOVIES_DAT,
                        writeDatMovies(release, csvDir, target.resolve(MovieLensLayout.MOVIES_DAT)));
                rows.put(
                        MovieLensLayout.RATINGS_DAT,
                        writeRatings(release, csvDir, target.resolve(MovieLensLayout.RATINGS_DAT), "::"));
                if (release == MovieLensRelease.ML_10M) {
                    rows.put(MovieLensLayout.TAGS_DAT, writeDatTags(csvDir, target.resolve(MovieLensLayout.TAGS_DAT)));
                }
            }
        }
        return rows;
    }

    /** A writer that replaces a character {@code charset} cannot encode with {@code ?}. */
    private static BufferedWriter writer(Path file, Charset charset) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), charset), 1 << 16);
    }

    private static Charset charset(MovieLensRelease release) {
        return release.latin1() ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    }

    private static int writeUGenre(Path file) throws IOException {
        try (Writer out = writer(file, StandardCharsets.ISO_8859_1)) {
            for (int g = 0; g < MovieLensGenreNames.ML_100K.size(); g++) {
                out.write(MovieLensGenreNames.ML_100K.get(g) + "|" + g + "\n");
            }
            out.write("\n");
        }
        return MovieLensGenreNames.ML_100K.size();
    }

    private static long writeUItem(Path csvDir, Path file) throws IOException {
        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(csvDir.resolve(MovieLensFileSet.MOVIES));
                CSVParser movies = CSV.parse(in);
                BufferedWriter out = writer(file, StandardCharsets.ISO_8859_1)) {
            for (CSVRecord movie : movies) {
                String title = movie.get(1);
                List<String> genres = genres(movie.get(2), false);
                StringBuilder line = new StringBuilder()
                        .append(movie.get(0))
                        .append('|')
                        .append(title)
                        .append('|')
                        .append(releaseDate(title))
                        .append("||http://us.imdb.com/M/title-exact?")
                        .append(URLEncoder.encode(title, StandardCharsets.ISO_8859_1)
                                .replace("+", "%20"));
                for (String genre : MovieLensGenreNames.ML_100K) {
                    boolean flag = genre.equals(MovieLensGenreNames.UNKNOWN)
                            ? genres.isEmpty()
                            : genres.contains(MovieLensGenreNames.modern(genre));
                    line.append(flag ? "|1" : "|0");
                }
                out.write(line.append('\n').toString());
                rows++;
            }
        }
        return rows;
    }

    /** {@code 01-Jan-1995} from a title ending in {@code (1995)}; empty without a year. */
    private static String releaseDate(String title) {
        Matcher year = YEAR.matcher(title);
        return year.find() ? "01-Jan-" + year.group(1) : "";
    }

    /** A genres field's genres that {@code release} knows, today's names; empty for none. */
    private static List<String> genres(String field, boolean imax) {
        List<String> out = new ArrayList<>();
        for (String genre : field.split("\\|")) {
            if (!genre.equals(MovieLensGenres.NO_GENRES) && !genre.isEmpty() && (imax || !genre.equals("IMAX"))) {
                out.add(genre);
            }
        }
        return out;
    }

    private static long writeDatMovies(MovieLensRelease release, Path csvDir, Path file) throws IOException {
        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(csvDir.resolve(MovieLensFileSet.MOVIES));
                CSVParser movies = CSV.parse(in);
                BufferedWriter out = writer(file, charset(release))) {
            for (CSVRecord movie : movies) {
                List<String> genres = genres(movie.get(2), release.hasImax());
                String field = genres.isEmpty()
                        ? MovieLensGenres.NO_GENRES
                        : String.join(
                                "|",
                                genres.stream().map(MovieLensGenreNames::old).toList());
                out.write(movie.get(0) + "::" + movie.get(1) + "::" + field + "\n");
                rows++;
            }
        }
        return rows;
    }

    /** {@code userId SEP movieId SEP rating SEP timestamp}; whole stars rounded up where the release asks. */
    private static long writeRatings(MovieLensRelease release, Path csvDir, Path file, String separator)
            throws IOException {
        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(csvDir.resolve(MovieLensFileSet.RATINGS));
                BufferedWriter out = writer(file, StandardCharsets.US_ASCII)) {
            in.readLine();
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(",", -1);
                String rating = release.wholeStars() ? Long.toString((long) Math.ceil(Double.parseDouble(f[2]))) : f[2];
                out.write(f[0] + separator + f[1] + separator + rating + separator + f[3] + "\n");
                rows++;
            }
        }
        return rows;
    }

    private static long writeDatTags(Path csvDir, Path file) throws IOException {
        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(csvDir.resolve(MovieLensFileSet.TAGS));
                CSVParser tags = CSV.parse(in);
                BufferedWriter out = writer(file, StandardCharsets.UTF_8)) {
            for (CSVRecord tag : tags) {
                out.write(tag.get(0) + "::" + tag.get(1) + "::" + tag.get(2) + "::" + tag.get(3) + "\n");
                rows++;
            }
        }
        return rows;
    }
}
