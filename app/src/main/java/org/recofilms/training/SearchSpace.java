package org.recofilms.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters a tuning run searches over for one model family: each dimension a range (uniform or
 * log-uniform, whole numbers or not) or a list of values. A search is a grid (every combination of the
 * dimensions' grid points in a fixed order; when there are more than the trials asked for, evenly
 * spaced ones) or random ({@code trials}
 * independent draws from a seeded generator, so a tuning run can be repeated). Each trial is a map of
 * parameter names (snake_case, as the training request names them) to values: {@code Integer} for
 * whole-number dimensions, {@code Double} otherwise, the listed value for a choice.
 *
 * @param family the model family's name
 * @param dimensions in the order the grid varies them (the last varies fastest)
 */
public record SearchSpace(String family, List<Dimension> dimensions) {

    /** Grid points per range dimension when a grid is asked for. */
    public static final int GRID_POINTS = 3;

    /** How a tuning run picks its trials. */
    public enum Strategy {
        GRID,
        RANDOM
    }

    /** One searched parameter. */
    public sealed interface Dimension permits Range, Choice {
        String name();

        Object draw(Random random);

        List<Object> gridPoints();
    }

    /**
     * A range {@code [min, max]}: drawn uniformly, or uniformly in log space when {@code log} (then
     * {@code min > 0}); rounded to whole numbers when {@code integer}.
     */
    public record Range(String name, double min, double max, boolean log, boolean integer) implements Dimension {
        public Range {
            if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
                throw new IllegalArgumentException(
                        name + ": the range needs finite min <= max, got [" + min + ", " + max + "]");
            }
            if (log && !(min > 0)) {
                throw new IllegalArgumentException(name + ": a log range needs min > 0, got " + min);
            }
        }

        @Override
        public Object draw(Random random) {
            double u = random.nextDouble();
            double v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
            return value(Math.min(max, Math.max(min, v)));
        }

        @Override
        public List<Object> gridPoints() {
            Set<Object> points = new LinkedHashSet<>();
            for (int i = 0; i < GRID_POINTS; i++) {
                double t = GRID_POINTS == 1 ? 0 : (double) i / (GRID_POINTS - 1);
                double v = log ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min);
                points.add(value(Math.min(max, Math.max(min, v))));
            }
            return List.copyOf(points);
        }

        private Object value(double v) {
            return integer ? (Object) (int) Math.round(v) : (Object) v;
        }
    }

    /** A list of values, drawn with equal chances. */
    public record Choice(String name, List<Object> values) implements Dimension {
        public Choice {
            if (values.isEmpty()) {
                throw new IllegalArgumentException(name + ": a choice needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public Object draw(Random random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public List<Object> gridPoints() {
            return values;
        }
    }

    public SearchSpace {
        dimensions = List.copyOf(dimensions);
        Set<String> names = new TreeSet<>();
        for (Dimension d : dimensions) {
            if (!names.add(d.name())) {
                throw new IllegalArgumentException(d.name() + ": searched twice");
            }
        }
    }

    /**
     * The default space of a family, from the ranges the literature tunes over on MovieLens
     * (Dacrema et al. 2019 for item-kNN and RP3beta, Steck 2019 for EASE, Rendle et al. 2021 for iALS).
     */
    public static SearchSpace defaults(String family) {
        return switch (family) {
            case "itemknn" ->
                new SearchSpace(
                        family,
                        List.of(
                                new Range("k_neighbors", 5, 800, true, true),
                                new Range("shrinkage", 0, 500, false, true)));
            case "rp3beta" ->
                new SearchSpace(
                        family,
                        List.of(
                                new Range("alpha", 0.2, 1.5, false, false),
                                new Range("beta", 0.0, 0.8, false, false),
                                new Range("top_k", 20, 800, true, true)));
            case "ease" -> new SearchSpace(family, List.of(new Range("l2", 10, 5000, true, false)));
            case "ials" ->
                new SearchSpace(
                        family,
                        List.of(
                                new Choice("factors", List.of(32, 64, 128)),
                                new Range("regularization", 0.001, 1, true, false),
                                new Range("alpha", 1, 50, true, false)));
            default ->
                throw new IllegalArgumentException(
                        "family: unknown '" + family + "'; one of itemknn, rp3beta, ease, ials");
        };
    }

    /**
     * This space with some dimensions replaced or added: a list value is a {@link Choice}; a map with
     * {@code min}, {@code max} and optional {@code log} and {@code integer} booleans is a
     * {@link Range}. Anything else is an {@code IllegalArgumentException} naming the parameter.
     */
    public SearchSpace with(Map<String, ?> overrides) {
        Map<String, Dimension> byName = new LinkedHashMap<>();
        dimensions.forEach(d -> byName.put(d.name(), d));
        overrides.forEach((name, spec) -> byName.put(name, dimension(name, spec, byName.get(name))));
        return new SearchSpace(family, new ArrayList<>(byName.values()));
    }

    private static Dimension dimension(String name, Object spec, Dimension current) {
        if (spec instanceof List<?> values) {
            return new Choice(name, new ArrayList<>(values));
        }
        if (spec instanceof Map<?, ?> m) {
            for (Object key : m.keySet()) {
                if (!Set.of("min", "max", "log", "integer").contains(String.valueOf(key))) {
                    throw new IllegalArgumentException(
                            name + ": unknown range key '" + key + "'; the keys are min, max, log, integer");
                }
            }
            boolean integerDefault = current instanceof Range r && r.integer();
            boolean logDefault = current instanceof Range r && r.log();
            return new Range(
                    name,
                    number(name, "min", m.get("min")),
                    number(name, "max", m.get("max")),
                    flag(name, "log", m.get("log"), logDefault),
                    flag(name, "integer", m.get("integer"), integerDefault));
        }
        throw new IllegalArgumentException(name + ": a searched parameter is a list of values or {min, max}");
    }

    private static double number(String name, String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(name + ": '" + key + "' must be a number, got " + v);
    }

    private static boolean flag(String name, String key, Object v, boolean fallback) {
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(name + ": '" + key + "' must be true or false, got " + v);
    }

    /** The trials of a search: at most {@code trials} of them, each a parameter map. */
    public List<Map<String, Object>> trials(Strategy strategy, int trials, long seed) {
        if (trials < 1) {
            throw new IllegalArgumentException("trials: must be at least 1, got " + trials);
        }
        return strategy == Strategy.GRID ? grid(trials) : random(trials, seed);
    }

    private List<Map<String, Object>> random(int trials, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> out = new ArrayList<>(trials);
        for (int t = 0; t < trials; t++) {
            Map<String, Object> trial = new LinkedHashMap<>();
            for (Dimension d : dimensions) {
                trial.put(d.name(), d.draw(random));
            }
            out.add(trial);
        }
        return out;
    }

    private List<Map<String, Object>> grid(int maxTrials) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Dimension d : dimensions) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : d.gridPoints()) {
                    Map<String, Object> trial = new LinkedHashMap<>(partial);
                    trial.put(d.name(), v);
                    next.add(trial);
                }
            }
            out = next;
        }
        if (out.size() <= maxTrials) {
            return out;
        }
        // more combinations than trials: evenly spaced ones across the whole grid, not its first corner
        List<Map<String, Object>> spaced = new ArrayList<>(maxTrials);
        for (int i = 0; i < maxTrials; i++) {
            spaced.add(out.get((int) ((long) i * out.size() / maxTrials)));
        }
        return spaced;
    }
}
