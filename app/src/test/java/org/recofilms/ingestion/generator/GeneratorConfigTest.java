package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.RejectKind;

class GeneratorConfigTest {

    @Test
    void ml20mPresetHasTheExactCountsOfMovieLens20M() {
        final GeneratorConfig config = GeneratorConfig.ml20m();
        assertEquals(138_493, config.users());
        assertEquals(27_278, config.movies());
        assertEquals(20_000_263L, config.ratings());
        assertEquals(465_564, config.tags());
        assertEquals(10_381, config.genomeMovies());
        assertEquals(1_128, config.genomeTags());
        assertEquals(BadRows.none(), config.badRows());
        assertEquals(config, config.scaled(1.0));
    }

    @Test
    void smallPresetsMatchTheirPurpose() {
        assertEquals(5_000, GeneratorConfig.tiny().ratings());
        final GeneratorConfig demo = GeneratorConfig.demo();
        assertEquals(1_000, demo.users());
        assertEquals(2_000, demo.movies());
        assertEquals(150_000, demo.ratings());
    }

    @Test
    void scalingShrinksUsersAndRatingsButKeepsRoomInTheCatalogue() {
        final GeneratorConfig tenth = GeneratorConfig.ml20m().withRandomSeed(9).scaled(0.1);
        assertEquals(9, tenth.randomSeed());
        assertEquals(13_849, tenth.users());
        assertEquals(2_000_026L, tenth.ratings());
        assertEquals(2_728, tenth.movies());
        assertEquals(46_556, tenth.tags());
        assertEquals(1_038, tenth.genomeMovies());
        assertEquals(113, tenth.genomeTags());

        final GeneratorConfig tiny = GeneratorConfig.ml20m().scaled(0.0001);
        assertEquals(GeneratorConfig.MIN_SCALED_MOVIES, tiny.movies());
        assertTrue(tiny.ratings() >= 20L * tiny.users());

        // The genome vocabulary does not grow with the users.
        assertEquals(1_128, GeneratorConfig.ml20m().scaled(2).genomeTags());
        assertThrows(
                IllegalArgumentException.class, () -> GeneratorConfig.ml20m().scaled(0));
        assertThrows(
                IllegalArgumentException.class, () -> GeneratorConfig.ml20m().scaled(Double.NaN));
    }

    @Test
    void rejectsCountsThatDoNotFitTogether() {
        final GeneratorConfig.Builder tiny = GeneratorConfig.tiny().toBuilder();
        // Fewer than 20 ratings per user.
        assertThrows(IllegalArgumentException.class, () -> tiny.users(1_000).build());
        // More ratings than 40% of the catalogue per user.
        assertThrows(
                IllegalArgumentException.class,
                () -> GeneratorConfig.tiny().toBuilder().ratings(100_000).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GeneratorConfig.tiny().toBuilder().movies(10).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GeneratorConfig.tiny().toBuilder().genomeMovies(401).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GeneratorConfig.tiny().toBuilder()
                        .genomeTags(GeneratorConfig.MAX_GENOME_TAGS + 1)
                        .build());
        assertThrows(
                IllegalArgumentException.class,
                () -> GeneratorConfig.tiny().toBuilder().tags(15_001).build());
        assertThrows(
                IllegalArgumentException.class, () -> GeneratorConfig.tiny().withBadRows(null));
        // The builder validates only at the end, so counts can change together.
        final GeneratorConfig bigger =
                GeneratorConfig.tiny().toBuilder().users(1_000).ratings(40_000).build();
        assertEquals(1_000, bigger.users());
    }

    @Test
    void badRowsKeepOnlyPositiveCountsAndKnowTheirFiles() {
        final BadRows rows = BadRows.of(RejectKind.UNKNOWN_MOVIE, 3).with(RejectKind.DUPLICATE_PAIR, 0);
        assertEquals(3, rows.count(RejectKind.UNKNOWN_MOVIE));
        assertEquals(0, rows.count(RejectKind.DUPLICATE_PAIR));
        assertEquals(1, rows.counts().size());
        assertEquals(MovieLensFileSet.MOVIES, BadRows.homeFile(RejectKind.BROKEN_QUOTING));
        assertEquals(MovieLensFileSet.GENOME_SCORES, BadRows.homeFile(RejectKind.UNKNOWN_TAG));
        assertEquals(MovieLensFileSet.RATINGS, BadRows.homeFile(RejectKind.RATING_NOT_HALF_STEP));
        assertThrows(UnsupportedOperationException.class, () -> rows.counts().put(RejectKind.BAD_VALUE, 1));
    }
}
