package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.recofilms.ingestion.MovieLensFileSet;

/** Reads generated files the way a consumer would: with a standard CSV reader. */
final class GeneratedFiles {

    static final CSVFormat WITH_HEADER =
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

    private GeneratedFiles() {}

    /** All records of a file, after checking that its header is the MovieLens one. */
    static List<CSVRecord> records(final Path directory, final String file) throws IOException {
        try (CSVParser parser = CSVParser.parse(directory.resolve(file), StandardCharsets.UTF_8, WITH_HEADER)) {
            assertEquals(List.of(MovieLensFileSet.header(file).split(",")), parser.getHeaderNames(), file + " header");
            return parser.getRecords();
        }
    }

    /** The physical lines of a file, decoded strictly as UTF-8 (malformed bytes fail). */
    static List<String> lines(final Path directory, final String file) throws IOException {
        final byte[] bytes = Files.readAllBytes(directory.resolve(file));
        try {
            final String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (!text.endsWith("\n") || text.contains("\r")) {
                throw new AssertionError(file + " must end every line with \\n and hold no \\r");
            }
            return List.of(text.substring(0, text.length() - 1).split("\n", -1));
        } catch (final CharacterCodingException e) {
            throw new AssertionError(file + " is not valid UTF-8", e);
        }
    }

    /** Parses one physical line alone; null when its quoting is broken. */
    static List<String> parseLine(final String line) {
        try (CSVParser parser = CSVParser.parse(line, CSVFormat.DEFAULT)) {
            final List<CSVRecord> records = parser.getRecords();
            return records.size() == 1 ? records.get(0).toList() : null;
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }
}
