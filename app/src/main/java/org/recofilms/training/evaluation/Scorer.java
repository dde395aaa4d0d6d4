package org.recofilms.training.evaluation;

/**
 * Scores a whole catalogue for one user, so that every model goes through the same evaluator.
 *
 * <p>The catalogue is fixed when the scorer is built (an ascending array of movie ids); items are addressed by
 * their position in it. Implementations must be safe to call from several threads at once, each with its own
 * buffer.
 */
@FunctionalInterface
public interface Scorer {

    /**
     * Writes the score of every catalogue item into {@code scores} (zero on entry, one slot per catalogue item),
     * given the user's known items {@code history[0..historyLength)}; higher is better. The evaluator removes the
     * history from the ranking itself.
     */
    void score(int[] history, int historyLength, double[] scores);
}
