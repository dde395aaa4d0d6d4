package org.recofilms.training.evaluation;

import java.util.Arrays;
import org.recofilms.training.FactorModel;
import org.recofilms.training.MoviePopularity;
import org.recofilms.training.NeighborLists;

/** The scorers of the models the evaluator compares. */
public final class Scorers {

    private Scorers() {}

    /**
     * The seed's item-kNN scoring: for each history movie, every neighbour's similarity is added to that
     * neighbour's score. History movies outside the model add nothing; neighbours outside the catalogue are
     * ignored.
     *
     * @param catalogue ascending movie ids the scores are indexed by
     */
    public static Scorer itemKnn(NeighborLists model, int[] catalogue) {
        int[] modelOfCatalogue = new int[catalogue.length];
        for (int c = 0; c < catalogue.length; c++) {
            modelOfCatalogue[c] = model.indexOf(catalogue[c]);
        }
        int[] catalogueOfModel = new int[model.size()];
        for (int i = 0; i < model.size(); i++) {
            int c = Arrays.binarySearch(catalogue, model.movieId(i));
            catalogueOfModel[i] = c >= 0 ? c : -1;
        }
        int[] offsets = model.offsets();
        int[] neighbors = model.neighborIndices();
        float[] similarities = model.similarities();
        return (history, historyLength, scores) -> {
            for (int h = 0; h < historyLength; h++) {
                int i = modelOfCatalogue[history[h]];
                if (i < 0) {
                    continue;
                }
                for (int s = offsets[i], end = offsets[i + 1]; s < end; s++) {
                    int c = catalogueOfModel[neighbors[s]];
                    if (c >= 0) {
                        scores[c] += similarities[s];
                    }
                }
            }
        };
    }

    /** RP3beta's lists score as item-kNN's do: the shared item-item engine. */
    public static Scorer rp3beta(NeighborLists model, int[] catalogue) {
        return itemKnn(model, catalogue);
    }

    /** EASE's pruned lists score as item-kNN's do: the shared item-item engine. */
    public static Scorer ease(NeighborLists model, int[] catalogue) {
        return itemKnn(model, catalogue);
    }

    /**
     * iALS: the user's vector is folded in from the history alone (every history movie an interaction), then every
     * catalogue movie in the model scores {@code x . y}; catalogue movies outside the model rank below all others.
     */
    public static Scorer ials(FactorModel model, int[] catalogue) {
        int[] modelOfCatalogue = new int[catalogue.length];
        for (int c = 0; c < catalogue.length; c++) {
            modelOfCatalogue[c] = model.indexOf(catalogue[c]);
        }
        return (history, historyLength, scores) -> {
            int[] ids = new int[historyLength];
            for (int h = 0; h < historyLength; h++) {
                ids[h] = catalogue[history[h]];
            }
            float[] user = model.foldInInteractions(ids);
            for (int c = 0; c < catalogue.length; c++) {
                int m = modelOfCatalogue[c];
                scores[c] = m >= 0 ? model.score(user, m) : -Double.MAX_VALUE;
            }
        };
    }

    /** A fixed score per catalogue item, whatever the user: a popularity baseline. */
    public static Scorer fixed(double[] scoreOfCatalogueItem) {
        double[] copy = scoreOfCatalogueItem.clone();
        return (history, historyLength, scores) -> System.arraycopy(copy, 0, scores, 0, copy.length);
    }

    /** The Bayesian popularity list as a scorer; movies absent from it score 0. */
    public static Scorer bayesianPopularity(MoviePopularity popularity, int[] catalogue) {
        double[] fixed = new double[catalogue.length];
        int[] ids = popularity.movieIds();
        double[] bayes = popularity.bayesScores();
        for (int k = 0; k < ids.length; k++) {
            int c = Arrays.binarySearch(catalogue, ids[k]);
            if (c >= 0) {
                fixed[c] = bayes[k];
            }
        }
        return fixed(fixed);
    }
}
