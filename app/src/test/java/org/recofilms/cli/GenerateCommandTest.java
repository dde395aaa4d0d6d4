package org.recofilms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.generator.BadRows;
import org.recofilms.ingestion.generator.MovieLensFiles;
import picocli.CommandLine;

/** {@code generate}, as {@link Main} runs it: picocli on a plain instance, no Quarkus. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        return RecoCommand.configure(new CommandLine(new GenerateCommand()))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void writesThePresetIntoADirectoryAndPrintsTheReport() throws IOException {
        final Path target = dir.resolve("tiny");
        assertEquals(0, run("--preset", "tiny", "--seed", "3", "--bad-rows", "1", "--out", target.toString()));
        for (final String file : MovieLensFiles.ALL) {
            assertTrue(Files.size(target.resolve(file)) > 0, file);
        }
        final String report = out.toString();
        assertTrue(report.contains("ratings.csv") && report.contains("5,0"), report);
        assertTrue(report.contains("DUPLICATE_PAIR"), report);
        assertEquals(
                Files.readAllLines(target.resolve(MovieLensFileSet.RATINGS), StandardCharsets.UTF_8)
                        .size(),
                1 + 5_000 + BadRows.SUPPORTED.size() - 2,
                "good ratings plus one bad line per ratings kind");
    }

    @Test
    void writesAZipLikeTheGroupLensDownload() throws IOException {
        final Path zip = dir.resolve("out/ml.zip");
        assertEquals(0, run("--scale", "0.0001", "--zip", zip.toString()));
        final List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.add(entry.getName());
                if (entry.getName().equals("ml-20m/ratings.csv")) {
                    final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(text.startsWith("userId,movieId,rating,timestamp\n"));
                }
            }
        }
        final List<String> expected = new ArrayList<>(List.of("ml-20m/"));
        MovieLensFiles.ALL.forEach(file -> expected.add("ml-20m/" + file));
        assertEquals(expected, entries);
        try (var left = Files.list(zip.getParent())) {
            assertEquals(List.of(zip), left.toList(), "the temporary directory is gone");
        }
    }

    @Test
    void writesEachReleaseLayoutWithLayout() throws IOException {
        final Path zip = dir.resolve("ml-10m.zip");
        assertEquals(0, run("--preset", "tiny", "--layout=ml-10m", "--zip", zip.toString()));
        final List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.add(entry.getName());
            }
        }
        assertEquals(
                List.of("ml-10M100K/", "ml-10M100K/movies.dat", "ml-10M100K/ratings.dat", "ml-10M100K/tags.dat"),
                entries);

        final Path target = dir.resolve("ml-100k");
        assertEquals(0, run("--preset", "tiny", "--layout", "ml-100k", "--out", target.toString()));
        final List<String> ratings = Files.readAllLines(target.resolve("u.data"), StandardCharsets.US_ASCII);
        assertEquals(5_000, ratings.size());
        assertTrue(ratings.get(0).matches("\\d+\t\\d+\t[1-5]\t\\d+"), ratings.get(0));
        assertTrue(out.toString().contains("u.item"), out.toString());

        assertEquals(2, run("--layout", "ml-3m", "--out", dir.toString()));
        assertTrue(err.toString().contains("ml-latest-small"), err.toString());
        assertEquals(
                2,
                run(
                        "--layout",
                        "ml-1m",
                        "--bad-rows",
                        "1",
                        "--out",
                        dir.resolve("bad").toString()));
        assertTrue(err.toString().contains("bad rows are made for the CSV files"), err.toString());
    }

    @Test
    void rejectsBadArgumentsWithStatusTwoAndUsage() {
        assertEquals(2, run("--preset", "huge", "--out", dir.toString()));
        assertEquals(2, run("--preset", "tiny"));
        assertEquals(2, run("--preset", "tiny", "--scale", "0.1", "--out", dir.toString()));
        assertEquals(2, run("--seed", "abc", "--out", dir.toString()));
        assertEquals(2, run("--out"));
        assertEquals(2, run("--bad-rows", "-1", "--out", dir.toString()));
        assertEquals(
                2, run("--out", dir.toString(), "--zip", dir.resolve("x.zip").toString()));
        assertTrue(err.toString().contains("Usage: generate"), err.toString());
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("--preset=P"), out.toString());
    }
}
