package org.recofilms.ingestion.generator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Command line: generates MovieLens-format data into a directory or a zip and prints the report.
 *
 * <pre>
 * GenerateMovieLens [--preset tiny|demo|ml20m] [--scale F] [--seed N] [--bad-rows N]
 *                   (--out DIR | --zip FILE)
 * </pre>
 *
 * {@code --scale F} starts from the ml20m counts multiplied by F (see {@link GeneratorConfig#scaled});
 * {@code --bad-rows N} injects N bad lines of every {@link org.recofilms.ingestion.RejectKind} (and N
 * bad lines in tags.csv). Exit status 0 on success, 2 for bad arguments, 1 when writing fails.
 */
public final class GenerateMovieLens {

    static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: GenerateMovieLens [--preset tiny|demo|ml20m] [--scale F] [--seed N] [--bad-rows N]"
                    + " (--out DIR | --zip FILE)",
            "  --preset P     tiny (~5k ratings), demo (~150k ratings, default) or ml20m (20,000,263 ratings)",
            "  --scale F      the ml20m counts multiplied by F (e.g. 0.1); implies --preset ml20m",
            "  --seed N       random seed (default 42); the same arguments always give the same bytes",
            "  --bad-rows N   inject N bad lines of every reject kind, for ingestion tests (default 0)",
            "  --out DIR      write movies.csv, ratings.csv, ... into DIR",
            "  --zip FILE     write a zip with the files under ml-20m/, like the GroupLens download");

    private GenerateMovieLens() {}

    public static void main(final String[] args) {
        final int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the exit status instead of exiting, for tests. */
    static int run(final String[] args, final PrintStream out, final PrintStream err) {
        String preset = null;
        Double scale = null;
        Long randomSeed = null;
        int badRows = 0;
        Path directory = null;
        Path zip = null;
        try {
            for (int i = 0; i < args.length; i++) {
                final String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + option);
                }
                final String value = args[++i];
                switch (option) {
                    case "--preset" -> preset = value;
                    case "--scale" -> scale = Double.parseDouble(value);
                    case "--seed" -> randomSeed = Long.parseLong(value);
                    case "--bad-rows" -> badRows = Integer.parseInt(value);
                    case "--out" -> directory = Path.of(value);
                    case "--zip" -> zip = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if ((directory == null) == (zip == null)) {
                throw new IllegalArgumentException("give exactly one of --out DIR and --zip FILE");
            }
            if (scale != null && preset != null && !preset.equals("ml20m")) {
                throw new IllegalArgumentException("--scale applies to the ml20m counts, not to --preset " + preset);
            }
            GeneratorConfig config = scale != null ? GeneratorConfig.ml20m().scaled(scale) : preset(preset);
            if (randomSeed != null) {
                config = config.withRandomSeed(randomSeed);
            }
            if (badRows < 0) {
                throw new IllegalArgumentException("--bad-rows must not be negative");
            }
            if (badRows > 0) {
                config = config.withBadRows(BadRows.eachKind(badRows));
            }
            final GenerationReport report = directory != null
                    ? MovieLensGenerator.generate(config, directory)
                    : MovieLensGenerator.generateZip(config, zip);
            out.println(report.summary());
            return 0;
        } catch (final IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (final IOException e) {
            err.println("error: cannot write the files: " + e);
            return 1;
        }
    }

    private static GeneratorConfig preset(final String name) {
        if (name == null) {
            return GeneratorConfig.demo();
        }
        return switch (name) {
            case "tiny" -> GeneratorConfig.tiny();
            case "demo" -> GeneratorConfig.demo();
            case "ml20m" -> GeneratorConfig.ml20m();
            default -> throw new IllegalArgumentException("unknown preset " + name + " (tiny, demo or ml20m)");
        };
    }
}
