package org.recofilms.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one tuning run asks for: a search over one family's parameters ({@link SearchSpace}: the family's default
 * space with {@code space} replacing or adding dimensions), {@code trials} trials drawn by {@code strategy} with
 * {@code seed}, every trial on top of the {@code fixed} parameters (a training request's, as text). Read and
 * checked by {@link TuningRequests}.
 *
 * @param space the searched dimensions as given: a list of values, or {@code {min, max, log?, integer?}}
 * @param fixed the training parameters every trial shares, by wire name, without {@code family}
 */
public record TuningRequest(
        ModelFamily family,
        SearchSpace.Strategy strategy,
        int trials,
        long seed,
        Map<String, Object> space,
        Map<String, String> fixed) {

    /** Parameter names of a tuning run besides the fixed training parameters. */
    static final String FAMILY = "family";

    static final String STRATEGY = "strategy";
    static final String TRIALS = "trials";
    static final String SEED = "seed";
    static final String SPACE = "space";

    public TuningRequest {
        space = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(space));
        fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    }

    /** The space searched: the family's defaults with {@link #space()} over them. */
    public SearchSpace searchSpace() {
        return SearchSpace.defaults(family.id()).with(space);
    }

    /** The trials, each a parameter map (snake_case name to value), in the order they run. */
    public java.util.List<Map<String, Object>> trialParams() {
        return searchSpace().trials(strategy, trials, seed);
    }

    /** The text parameters of the training request of one trial: the family, the fixed ones, then the trial's. */
    public Map<String, String> trainingParams(Map<String, ?> trial) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(FAMILY, family.id());
        out.putAll(fixed);
        trial.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
