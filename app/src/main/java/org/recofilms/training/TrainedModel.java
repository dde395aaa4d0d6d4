package org.recofilms.training;

import org.recofilms.snapshot.FactorBundle;
import org.recofilms.training.evaluation.Scorer;
import org.recofilms.training.evaluation.Scorers;
import org.recofilms.training.evaluation.SeedProtocol;

/**
 * A trained model of any family: item-item neighbour lists (item-kNN, RP3beta, EASE) or item factors (iALS), with
 * what the evaluators and the artifacts need of it.
 */
public sealed interface TrainedModel {

    /** Trains {@code spec} on {@code ratings}. */
    static TrainedModel train(ModelSpec spec, Ratings ratings, ProgressListener listener) {
        if (spec instanceof ModelSpec.ItemKnn s) {
            return new ItemItem(new ItemKnnTrainer(s.params()).train(ratings, listener));
        }
        if (spec instanceof ModelSpec.Rp3Beta s) {
            return new ItemItem(new Rp3BetaTrainer(s.params()).train(ratings, listener));
        }
        if (spec instanceof ModelSpec.Ease s) {
            return new ItemItem(new EaseTrainer(s.params()).train(ratings, listener));
        }
        return new Factors(new IalsTrainer(((ModelSpec.Ials) spec).params()).train(ratings, listener));
    }

    /** The model as the seed protocol scores it, over its own movies. */
    SeedProtocol.Model seedModel();

    /** A scorer over {@code catalogue} (ascending movie ids), for the full-ranking protocol. */
    Scorer scorer(int[] catalogue);

    /** Movies the model holds (with neighbours, or with factors). */
    int movies();

    /** Neighbour pairs (0 for factors). */
    int pairs();

    /** Distinct movies the model can recommend: neighbours of some movie, or movies with factors. */
    int recommendable();

    /** Item-item neighbour lists, scored by the seed's rule. */
    record ItemItem(NeighborLists lists) implements TrainedModel {
        @Override
        public SeedProtocol.Model seedModel() {
            return SeedProtocol.Model.itemItem(lists);
        }

        @Override
        public Scorer scorer(int[] catalogue) {
            return Scorers.itemKnn(lists, catalogue);
        }

        @Override
        public int movies() {
            return lists.size();
        }

        @Override
        public int pairs() {
            return lists.totalNeighbors();
        }

        @Override
        public int recommendable() {
            return lists.totalNeighbors() == 0
                    ? 0
                    : IdIndex.of(lists.neighborMovieIds()).size();
        }
    }

    /** iALS item factors, the user folded in from the history. */
    record Factors(FactorModel model) implements TrainedModel {
        @Override
        public SeedProtocol.Model seedModel() {
            // dot products may be negative: every unseen model movie is a candidate
            return new SeedProtocol.Model(model.movieIds(), Scorers.ials(model, model.movieIds()), false);
        }

        @Override
        public Scorer scorer(int[] catalogue) {
            return Scorers.ials(model, catalogue);
        }

        @Override
        public int movies() {
            return model.size();
        }

        @Override
        public int pairs() {
            return 0;
        }

        @Override
        public int recommendable() {
            return model.size();
        }

        /** The arrays of {@link FactorBundle}. */
        public FactorBundle.Factors arrays() {
            return new FactorBundle.Factors(
                    model.movieIds(),
                    model.factors(),
                    model.itemFactors(),
                    model.gram(),
                    model.regularization(),
                    model.unobservedWeight(),
                    model.alpha(),
                    model.positiveThreshold());
        }
    }
}
