package org.recofilms.training;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.Statement;
import org.recofilms.platform.BinaryCopyWriter;
import org.recofilms.platform.Jdbc;

/**
 * Refreshes raw.item_neighbors and raw.movie_popularity from a trained model in one transaction
 * (DELETE then binary COPY): readers keep seeing the previous rows until the commit and are never
 * blocked, and never see a half table.
 */
@ApplicationScoped
public class ModelTables {

    private final AgroalDataSource dataSource;

    public ModelTables(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Replaces both tables; with {@code neighbors} null (a model without neighbour lists, iALS)
     * raw.item_neighbors is left as it was and only raw.movie_popularity is replaced.
     */
    public void refresh(NeighborLists neighbors, MoviePopularity popularity) throws SQLException, IOException {
        Jdbc.inTransaction(dataSource, c -> {
            try (Statement st = c.createStatement()) {
                if (neighbors != null) {
                    st.execute("DELETE FROM raw.item_neighbors");
                }
                st.execute("DELETE FROM raw.movie_popularity");
                if (neighbors != null) {
                    copyNeighbors(c, neighbors);
                }
                try (BinaryCopyWriter out = BinaryCopyWriter.copyIn(
                        c, "raw.movie_popularity", "\"movieId\", n_ratings, mean_rating, bayes_score")) {
                    int[] ids = popularity.movieIds();
                    int[] counts = popularity.ratingCounts();
                    float[] means = popularity.meanRatings();
                    double[] bayes = popularity.bayesScores();
                    for (int i = 0; i < ids.length; i++) {
                        out.row(4);
                        out.int4(ids[i]);
                        out.int4(counts[i]);
                        out.float4(means[i]);
                        out.float8(bayes[i]);
                    }
                }
            }
            return null;
        });
    }

    private static void copyNeighbors(java.sql.Connection c, NeighborLists neighbors) throws SQLException, IOException {
        try (BinaryCopyWriter out = BinaryCopyWriter.copyIn(
                c, "raw.item_neighbors", "\"movieId\", \"neighborMovieId\", similarity, rank")) {
            for (int i = 0; i < neighbors.size(); i++) {
                short rank = 1;
                for (int slot = neighbors.start(i); slot < neighbors.end(i); slot++) {
                    out.row(4);
                    out.int4(neighbors.movieId(i));
                    out.int4(neighbors.neighborMovieId(slot));
                    out.float4(neighbors.similarity(slot));
                    out.int2(rank++);
                }
            }
        }
    }
}
