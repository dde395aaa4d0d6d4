package org.recofilms.snapshot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The model's two artifact files, with the seed's names and columns, uploaded with each run and parsed by every
 * serving instance when it loads a model:
 *
 * <ul>
 *   <li>{@value #NEIGHBORS_FILE}: {@code movieId} int32, {@code neighborMovieId} int32, {@code similarity} float
 *       (32-bit); one row per (movie, neighbour) pair, movies ascending, each movie's neighbours in list order;
 *   <li>{@value #POPULARITY_FILE}: {@code movieId} int32, {@code n_ratings} int32, {@code mean_rating} float
 *       (32-bit), {@code bayes_score} double; one row per movie.
 * </ul>
 *
 * All columns are required and carry no logical annotation. Reads check the schema and throw
 * {@link SnapshotException} for a missing, empty, corrupt or differently shaped file.
 */
public final class ModelArtifacts {

    /** File name of the neighbour artifact. */
    public static final String NEIGHBORS_FILE = "item_neighbors.parquet";

    /** File name of the popularity artifact. */
    public static final String POPULARITY_FILE = "movie_popularity.parquet";

    /**
     * Footer key listing, comma-separated and ascending, the movies whose neighbour list is empty: they have no
     * row, and without it a read could not give back the same movie list. Absent when every movie has neighbours.
     */
    public static final String MOVIES_WITHOUT_NEIGHBORS_KEY = "reco.movies_without_neighbors";

    /** Schema of {@value #NEIGHBORS_FILE}. */
    public static final MessageType NEIGHBORS_SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT32)
            .named("movieId")
            .required(PrimitiveTypeName.INT32)
            .named("neighborMovieId")
            .required(PrimitiveTypeName.FLOAT)
            .named("similarity")
            .named("item_neighbors");

    /** Schema of {@value #POPULARITY_FILE}. */
    public static final MessageType POPULARITY_SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT32)
            .named("movieId")
            .required(PrimitiveTypeName.INT32)
            .named("n_ratings")
            .required(PrimitiveTypeName.FLOAT)
            .named("mean_rating")
            .required(PrimitiveTypeName.DOUBLE)
            .named("bayes_score")
            .named("movie_popularity");

    private static final String NEIGHBORS_WHAT = "item_neighbors artifact";
    private static final String POPULARITY_WHAT = "movie_popularity artifact";

    private static final ParquetTable.Column[] NEIGHBOR_COLUMNS = {
        ParquetTable.Column.int32("movieId"),
        ParquetTable.Column.int32("neighborMovieId"),
        ParquetTable.Column.float32("similarity")
    };

    private static final ParquetTable.Column[] POPULARITY_COLUMNS = {
        ParquetTable.Column.int32("movieId"),
        ParquetTable.Column.int32("n_ratings"),
        ParquetTable.Column.float32("mean_rating"),
        ParquetTable.Column.float64("bayes_score")
    };

    /**
     * Neighbour ids are drawn from the kept movies (about 27k): dictionary ids of 15 bits, where deltas between
     * unrelated ids would take 17 or more. Movie ids, repeated and ascending, delta-encode to almost nothing.
     */
    private static final Set<String> NEIGHBOR_DICTIONARY = Set.of("neighborMovieId");

    private ModelArtifacts() {}

    /** {@link #writeNeighbors(Path, NeighborArrays, Codec)} with zstd. */
    public static SnapshotInfo writeNeighbors(Path target, NeighborArrays neighbors) {
        return writeNeighbors(target, neighbors, Codec.ZSTD);
    }

    /** Writes {@code neighbors} to {@code target} (atomically: a temporary file beside it, then a move). */
    public static SnapshotInfo writeNeighbors(Path target, NeighborArrays neighbors, Codec codec) {
        Objects.requireNonNull(neighbors, "neighbors");
        Objects.requireNonNull(codec, "codec");
        int[] movieIds = neighbors.movieIds();
        int[] offsets = neighbors.offsets();
        StringJoiner lonely = new StringJoiner(",");
        for (int i = 0; i < movieIds.length; i++) {
            if (offsets[i] == offsets[i + 1]) {
                lonely.add(Integer.toString(movieIds[i]));
            }
        }
        Map<String, String> metadata =
                lonely.length() == 0 ? Map.of() : Map.of(MOVIES_WITHOUT_NEIGHBORS_KEY, lonely.toString());
        return ParquetOutput.write(
                target, NEIGHBORS_WHAT, NEIGHBORS_SCHEMA, metadata, NEIGHBOR_DICTIONARY, codec, writer -> {
                    int[] neighborIds = neighbors.neighborIds();
                    float[] similarities = neighbors.similarities();
                    NeighborRow row = new NeighborRow();
                    for (int i = 0; i < movieIds.length; i++) {
                        row.movieId = movieIds[i];
                        for (int p = offsets[i]; p < offsets[i + 1]; p++) {
                            row.neighborId = neighborIds[p];
                            row.similarity = similarities[p];
                            writer.write(row);
                        }
                    }
                    return neighborIds.length;
                });
    }

    /**
     * Reads a neighbour artifact. Rows need not be grouped by movie (a file written elsewhere may be in any order):
     * they are then grouped, keeping each movie's neighbours in file order.
     */
    public static NeighborArrays readNeighbors(Path file) {
        try (ParquetTable table = ParquetTable.open(file, NEIGHBORS_WHAT, NEIGHBOR_COLUMNS)) {
            int rows = (int) table.rows();
            int[] movieColumn = new int[rows];
            int[] neighborIds = new int[rows];
            float[] similarities = new float[rows];
            table.readInto(movieColumn, neighborIds, similarities);
            int[] lonely = moviesWithoutNeighbors(file, table.metadata().get(MOVIES_WITHOUT_NEIGHBORS_KEY));
            if (!ascending(movieColumn)) {
                groupByMovie(movieColumn, neighborIds, similarities);
            }
            return toCsr(file, movieColumn, neighborIds, similarities, lonely);
        }
    }

    /** {@link #writePopularity(Path, PopularityArrays, Codec)} with zstd. */
    public static SnapshotInfo writePopularity(Path target, PopularityArrays popularity) {
        return writePopularity(target, popularity, Codec.ZSTD);
    }

    /** Writes {@code popularity} to {@code target}, rows in array order (atomically, as the neighbours). */
    public static SnapshotInfo writePopularity(Path target, PopularityArrays popularity, Codec codec) {
        Objects.requireNonNull(popularity, "popularity");
        Objects.requireNonNull(codec, "codec");
        return ParquetOutput.write(target, POPULARITY_WHAT, POPULARITY_SCHEMA, Map.of(), Set.of(), codec, writer -> {
            PopularityRow row = new PopularityRow();
            for (int i = 0; i < popularity.size(); i++) {
                row.movieId = popularity.movieIds()[i];
                row.nRatings = popularity.nRatings()[i];
                row.meanRating = popularity.meanRatings()[i];
                row.bayesScore = popularity.bayesScores()[i];
                writer.write(row);
            }
            return popularity.size();
        });
    }

    /** Reads a popularity artifact, rows in file order. */
    public static PopularityArrays readPopularity(Path file) {
        try (ParquetTable table = ParquetTable.open(file, POPULARITY_WHAT, POPULARITY_COLUMNS)) {
            int rows = (int) table.rows();
            PopularityArrays popularity =
                    new PopularityArrays(new int[rows], new int[rows], new float[rows], new double[rows]);
            table.readInto(
                    popularity.movieIds(), popularity.nRatings(), popularity.meanRatings(), popularity.bayesScores());
            return popularity;
        }
    }

    private static boolean ascending(int[] values) {
        for (int r = 1; r < values.length; r++) {
            if (values[r] < values[r - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Stable sort of the three columns by movie id. */
    private static void groupByMovie(int[] movieColumn, int[] neighborIds, float[] similarities) {
        int rows = movieColumn.length;
        long[] keys = new long[rows];
        for (int r = 0; r < rows; r++) {
            keys[r] = ((long) movieColumn[r] << 32) | r;
        }
        Arrays.sort(keys);
        int[] neighbors = neighborIds.clone();
        float[] values = similarities.clone();
        for (int k = 0; k < rows; k++) {
            int r = (int) keys[k];
            movieColumn[k] = (int) (keys[k] >> 32);
            neighborIds[k] = neighbors[r];
            similarities[k] = values[r];
        }
    }

    private static NeighborArrays toCsr(
            Path file, int[] movieColumn, int[] neighborIds, float[] similarities, int[] lonely) {
        int rows = movieColumn.length;
        int distinct = 0;
        for (int r = 0; r < rows; r++) {
            if (r == 0 || movieColumn[r] != movieColumn[r - 1]) {
                distinct++;
            }
        }
        int[] movieIds = new int[distinct + lonely.length];
        int[] offsets = new int[movieIds.length + 1];
        int r = 0;
        int l = 0;
        for (int i = 0; i < movieIds.length; i++) {
            if (l < lonely.length && (r == rows || lonely[l] < movieColumn[r])) {
                movieIds[i] = lonely[l++];
            } else if (l < lonely.length && lonely[l] == movieColumn[r]) {
                throw new SnapshotException(NEIGHBORS_WHAT + " " + file + " is corrupt: movie " + lonely[l]
                        + " is listed under " + MOVIES_WITHOUT_NEIGHBORS_KEY + " but has neighbour rows");
            } else {
                int movie = movieColumn[r];
                while (r < rows && movieColumn[r] == movie) {
                    r++;
                }
                movieIds[i] = movie;
            }
            offsets[i + 1] = r;
        }
        return new NeighborArrays(movieIds, offsets, neighborIds, similarities);
    }

    private static int[] moviesWithoutNeighbors(Path file, String value) {
        if (value == null || value.isEmpty()) {
            return new int[0];
        }
        String[] parts = value.split(",", -1);
        int[] ids = new int[parts.length];
        try {
            for (int k = 0; k < parts.length; k++) {
                ids[k] = Integer.parseInt(parts[k]);
                if (k > 0 && ids[k] <= ids[k - 1]) {
                    throw new NumberFormatException("not ascending at " + ids[k]);
                }
            }
        } catch (NumberFormatException e) {
            throw new SnapshotException(NEIGHBORS_WHAT + " " + file + " is corrupt: its "
                    + MOVIES_WITHOUT_NEIGHBORS_KEY + " footer entry is not an ascending list of ids (" + e.getMessage()
                    + ")");
        }
        return ids;
    }

    private static final class NeighborRow implements ParquetOutput.Row {
        int movieId;
        int neighborId;
        float similarity;

        @Override
        public void writeTo(RecordConsumer consumer) {
            consumer.startField("movieId", 0);
            consumer.addInteger(movieId);
            consumer.endField("movieId", 0);
            consumer.startField("neighborMovieId", 1);
            consumer.addInteger(neighborId);
            consumer.endField("neighborMovieId", 1);
            consumer.startField("similarity", 2);
            consumer.addFloat(similarity);
            consumer.endField("similarity", 2);
        }
    }

    private static final class PopularityRow implements ParquetOutput.Row {
        int movieId;
        int nRatings;
        float meanRating;
        double bayesScore;

        @Override
        public void writeTo(RecordConsumer consumer) {
            consumer.startField("movieId", 0);
            consumer.addInteger(movieId);
            consumer.endField("movieId", 0);
            consumer.startField("n_ratings", 1);
            consumer.addInteger(nRatings);
            consumer.endField("n_ratings", 1);
            consumer.startField("mean_rating", 2);
            consumer.addFloat(meanRating);
            consumer.endField("mean_rating", 2);
            consumer.startField("bayes_score", 3);
            consumer.addDouble(bayesScore);
            consumer.endField("bayes_score", 3);
        }
    }
}
