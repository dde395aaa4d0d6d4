package org.recofilms.training;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Refreshes raw.item_neighbors and raw.movie_popularity from a trained model in one transaction
 * (DELETE then binary COPY): readers keep seeing the previous rows until the commit and are never
 * blocked, and never see a half table.
 */
@ApplicationScoped
public class ModelTables {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final AgroalDataSource dataSource;

    public ModelTables(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void refresh(NeighborLists neighbors, MoviePopularity popularity) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM raw.item_neighbors");
                st.execute("DELETE FROM raw.movie_popularity");
                PGConnection pg = c.unwrap(PGConnection.class);
                try (DataOutputStream out = copy(
                        pg,
                        "COPY raw.item_neighbors (\"movieId\", \"neighborMovieId\","
                                + " similarity, rank) FROM STDIN (FORMAT binary)")) {
                    for (int i = 0; i < neighbors.size(); i++) {
                        int rank = 1;
                        for (int slot = neighbors.start(i); slot < neighbors.end(i); slot++) {
                            out.writeShort(4);
                            out.writeInt(4);
                            out.writeInt(neighbors.movieId(i));
                            out.writeInt(4);
                            out.writeInt(neighbors.neighborMovieId(slot));
                            out.writeInt(4);
                            out.writeFloat(neighbors.similarity(slot));
                            out.writeInt(2);
                            out.writeShort(rank++);
                        }
                    }
                    out.writeShort(-1);
                }
                try (DataOutputStream out = copy(
                        pg,
                        "COPY raw.movie_popularity (\"movieId\", n_ratings, mean_rating,"
                                + " bayes_score) FROM STDIN (FORMAT binary)")) {
                    int[] ids = popularity.movieIds();
                    int[] counts = popularity.ratingCounts();
                    float[] means = popularity.meanRatings();
                    float[] bayes = popularity.bayesScores();
                    for (int i = 0; i < ids.length; i++) {
                        out.writeShort(4);
                        out.writeInt(4);
                        out.writeInt(ids[i]);
                        out.writeInt(4);
                        out.writeInt(counts[i]);
                        out.writeInt(4);
                        out.writeFloat(means[i]);
                        out.writeInt(8);
                        out.writeDouble(bayes[i]);
                    }
                    out.writeShort(-1);
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static DataOutputStream copy(PGConnection pg, String sql) throws SQLException, IOException {
        DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(new PGCopyOutputStream(pg, sql, 1 << 16), 1 << 16));
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(0);
        return out;
    }
}
