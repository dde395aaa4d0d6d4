package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The tuning search space: draws stay in their ranges, searches repeat by seed, grids are bounded. */
class SearchSpaceTest {

    private static final List<String> FAMILIES = List.of("itemknn", "rp3beta", "ease", "ials");

    @Property(tries = 50)
    void randomTrialsStayInTheirRangesAndRepeatBySeed(
            @ForAll @IntRange(min = 1, max = 40) int trials,
            @ForAll long seed,
            @ForAll @DoubleRange(min = 0.01, max = 100) double low,
            @ForAll @DoubleRange(min = 0, max = 1000) double width,
            @ForAll boolean log,
            @ForAll boolean integer) {
        double high = low + width;
        SearchSpace space = SearchSpace.defaults("ease")
                .with(Map.of("l2", Map.of("min", low, "max", high, "log", log, "integer", integer)));
        List<Map<String, Object>> drawn = space.trials(SearchSpace.Strategy.RANDOM, trials, seed);
        assertEquals(trials, drawn.size());
        assertEquals(drawn, space.trials(SearchSpace.Strategy.RANDOM, trials, seed));
        for (Map<String, Object> t : drawn) {
            double v = ((Number) t.get("l2")).doubleValue();
            // a whole-number range rounds to the nearest integer, which may sit half a unit outside
            double slack = integer ? 0.5 : 0;
            assertTrue(v >= low - slack && v <= high + slack, v + " outside [" + low + ", " + high + "]");
            assertEquals(integer, t.get("l2") instanceof Integer);
        }
    }

    @Property(tries = 30)
    void gridsAreDistinctAndBounded(@ForAll @IntRange(min = 1, max = 30) int maxTrials) {
        for (String family : FAMILIES) {
            SearchSpace space = SearchSpace.defaults(family);
            List<Map<String, Object>> grid = space.trials(SearchSpace.Strategy.GRID, maxTrials, 0);
            int full = space.dimensions().stream()
                    .mapToInt(d -> d.gridPoints().size())
                    .reduce(1, (a, b) -> a * b);
            assertEquals(Math.min(full, maxTrials), grid.size(), family);
            assertEquals(grid.size(), new HashSet<>(grid).size(), family + ": a grid point twice");
            for (Map<String, Object> t : grid) {
                assertEquals(space.dimensions().size(), t.size());
            }
        }
    }

    @Example
    void aChoiceOverridesARangeAndAddsDimensions() {
        SearchSpace space = SearchSpace.defaults("ease").with(Map.of("l2", List.of(100, 300), "top_k", List.of(50)));
        List<Map<String, Object>> grid = space.trials(SearchSpace.Strategy.GRID, 10, 0);
        assertEquals(List.of(Map.of("l2", 100, "top_k", 50), Map.of("l2", 300, "top_k", 50)), grid);
    }

    @Example
    void logGridPointsAreGeometric() {
        SearchSpace space = SearchSpace.defaults("ease").with(Map.of("l2", Map.of("min", 10, "max", 1000)));
        // the default l2 range is log-scaled, and an override keeps that unless it says otherwise
        assertEquals(
                List.of(10.0, 100.0, 1000.0),
                space.trials(SearchSpace.Strategy.GRID, 10, 0).stream()
                        .map(t -> Math.round((Double) t.get("l2") * 1e9) / 1e9)
                        .toList());
    }

    @Example
    void badSpacesNameTheParameter() {
        SearchSpace ease = SearchSpace.defaults("ease");
        assertMessage("l2", () -> ease.with(Map.of("l2", Map.of("min", 5, "max", 1))));
        assertMessage("l2", () -> ease.with(Map.of("l2", Map.of("min", 0, "max", 1, "log", true))));
        assertMessage("l2", () -> ease.with(Map.of("l2", Map.of("min", 1, "max", 2, "step", 1))));
        assertMessage("l2", () -> ease.with(Map.of("l2", "wide")));
        assertMessage("top_k", () -> ease.with(Map.of("top_k", List.of())));
        assertMessage("trials", () -> ease.trials(SearchSpace.Strategy.RANDOM, 0, 1));
        assertMessage("family", () -> SearchSpace.defaults("svd"));
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
    }
}
