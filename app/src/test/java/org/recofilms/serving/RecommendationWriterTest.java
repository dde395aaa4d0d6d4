package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.recofilms.platform.JsonSettings;

/** The streaming writer writes what the data binding writes, byte for byte, for any answer. */
class RecommendationWriterTest {

    private static final ObjectMapper MAPPER = mapper();

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new JsonSettings().customize(mapper);
        return mapper;
    }

    private final RecommendationWriter.EncodedStrings strings = new RecommendationWriter.EncodedStrings();

    private final RecommendationWriter writer = new RecommendationWriter(MAPPER, strings);

    @Property(tries = 1000)
    void writesTheBytesTheObjectMapperWrites(@ForAll("answers") RecommendationService.Answer answer) throws Exception {
        String expected;
        try {
            expected = json(answer);
        } catch (Exception refused) {
            // a lone surrogate: the data binding refuses it, and so does the writer, with the generator's error
            Exception e = assertThrows(Exception.class, () -> writer.bytes(answer));
            assertEquals(rootMessage(refused), rootMessage(e));
            return;
        }
        assertEquals(expected, new String(writer.bytes(answer), StandardCharsets.UTF_8));
        // a second time from the cache of encoded strings: the same again
        assertEquals(expected, new String(writer.bytes(answer), StandardCharsets.UTF_8));
        assertTrue(strings.size() <= RecommendationWriter.MAX_CACHED);
    }

    @Example
    void titlesWithEmojiAndOtherSurrogatesAreWrittenAsTheMapperWritesThem() throws Exception {
        for (String title : List.of("\ud83c\udfac Film", "lone \ud83c", "\udfac", "caf\u00e9 \u4e2d")) {
            RecommendationService.Answer answer = new RecommendationService.Answer(
                    1,
                    "item_cf",
                    null,
                    null,
                    "1",
                    "itemknn",
                    5,
                    List.of(new RecommendationService.RecommendedMovie(
                            2, title, List.of("Drama"), 1.5, new int[] {3}, List.of(title))));
            for (int i = 0; i < 2; i++) { // the second time from the cache
                String expected;
                try {
                    expected = json(answer);
                } catch (Exception refused) {
                    assertThrows(Exception.class, () -> writer.bytes(answer));
                    continue;
                }
                assertEquals(expected, new String(writer.bytes(answer), StandardCharsets.UTF_8), title);
            }
        }
    }

    @Provide
    Arbitrary<RecommendationService.Answer> answers() {
        // titles with what JSON must escape: quotes, backslashes, control characters, non-ASCII, surrogates
        Arbitrary<String> chars = Arbitraries.strings()
                .withCharRange('\u0000', '\u00ff')
                .withChars('"', '\\', '\u2028', '\u00e9', '\u4e2d', '\ud83c', '\udfac')
                .ofMaxLength(40);
        // and whole surrogate pairs (an emoji), which single random chars rarely make
        Arbitrary<String> text =
                Arbitraries.oneOf(chars, Combinators.combine(chars, chars).as((a, b) -> a + "\ud83c\udfac" + b));
        Arbitrary<String> nullable = text.injectNull(0.2);
        Arbitrary<RecommendationService.RecommendedMovie> movie = Combinators.combine(
                        Arbitraries.integers().greaterOrEqual(1),
                        nullable,
                        text.list().ofMaxSize(4),
                        Arbitraries.floats().map(f -> (double) f).filter(Double::isFinite),
                        Arbitraries.integers()
                                .greaterOrEqual(1)
                                .array(int[].class)
                                .ofMaxSize(3),
                        nullable.list().ofMaxSize(3))
                .as(RecommendationService.RecommendedMovie::new);
        return Combinators.combine(
                        Arbitraries.integers().greaterOrEqual(1),
                        Arbitraries.of("item_cf", "matrix_factorization", "popularity"),
                        Arbitraries.of("few_ratings", "degraded").injectNull(0.5),
                        nullable,
                        Arbitraries.integers()
                                .between(1, 99)
                                .map(String::valueOf)
                                .injectNull(0.2),
                        Arbitraries.of("itemknn", "ials").injectNull(0.2),
                        Arbitraries.integers().between(0, 5000).injectNull(0.2),
                        movie.list().ofMaxSize(12))
                .as(RecommendationService.Answer::new);
    }

    /** What Quarkus REST's Jackson writer sends: the mapper's UTF-8 bytes (not its String, which keeps lone surrogates). */
    private static String json(RecommendationService.Answer answer) throws Exception {
        return new String(MAPPER.writeValueAsBytes(answer), StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Property(tries = 50)
    void aFullCacheStartsAgainAndWritesTheSame(@ForAll("answers") RecommendationService.Answer answer)
            throws Exception {
        RecommendationWriter.EncodedStrings three = new RecommendationWriter.EncodedStrings(3);
        RecommendationWriter small = new RecommendationWriter(MAPPER, three);
        try {
            json(answer);
        } catch (Exception refused) {
            return; // a lone surrogate: the property above
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(json(answer), new String(small.bytes(answer), StandardCharsets.UTF_8));
            assertTrue(three.size() <= 3, "at most 3 kept: " + three.size());
        }
    }
}
