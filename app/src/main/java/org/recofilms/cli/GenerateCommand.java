package org.recofilms.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.recofilms.ingestion.generator.BadRows;
import org.recofilms.ingestion.generator.GenerationReport;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.ingestion.generator.MovieLensRelease;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate [--preset tiny|demo|ml20m] [--scale F] [--seed N] [--bad-rows N] [--layout=ml-100k|...]
 * (--out DIR | --zip FILE)}: MovieLens-format data into a directory or a zip, laid out as one of the
 * GroupLens releases (ml-20m by default); prints the report. Needs no database and no
 * broker: {@link Main} runs it before Quarkus starts.
 */
@Command(
        name = GenerateCommand.NAME,
        description = "Generates MovieLens-format data (the real files may not be redistributed).",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {RecoCommand.DONE, "1:the files could not be written", RecoCommand.USAGE})
public class GenerateCommand implements Callable<Integer> {

    static final String NAME = "generate";

    /** The dataset sizes of {@link GeneratorConfig}. */
    enum Preset {
        TINY,
        DEMO,
        ML20M
    }

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(
            names = "--preset",
            paramLabel = "P",
            description = "tiny (~5k ratings), demo (~150k ratings, default) or ml20m (20,000,263 ratings)")
    Preset preset;

    @Option(
            names = "--scale",
            paramLabel = "F",
            description = "the ml20m counts multiplied by F (e.g. 0.1); implies --preset ml20m")
    Double scale;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "random seed (default 42); the same arguments always give the same bytes")
    Long seed;

    @Option(
            names = "--bad-rows",
            paramLabel = "N",
            description = "inject N bad lines of every reject kind, for ingestion tests (default 0)")
    int badRows;

    @Option(
            names = "--layout",
            paramLabel = "RELEASE",
            converter = ReleaseConverter.class,
            description = "the release to imitate: ml-100k, ml-1m, ml-10m, ml-20m (default), ml-25m, ml-32m,"
                    + " ml-latest or ml-latest-small")
    MovieLensRelease layout = MovieLensRelease.ML_20M;

    /** {@code ml-100k} and the like, as GroupLens names its releases. */
    static final class ReleaseConverter implements CommandLine.ITypeConverter<MovieLensRelease> {
        @Override
        public MovieLensRelease convert(String value) {
            try {
                return MovieLensRelease.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Exactly one of a directory and a zip. */
    static class Target {
        @Option(names = "--out", paramLabel = "DIR", description = "write movies.csv, ratings.csv, ... into DIR")
        Path directory;

        @Option(
                names = "--zip",
                paramLabel = "FILE",
                description = "write a zip with the files under ml-20m/ (or the release's folder), like the GroupLens"
                        + " download")
        Path zip;
    }

    @Override
    public Integer call() {
        if (scale != null && preset != null && preset != Preset.ML20M) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--scale applies to the ml20m counts, not to --preset " + preset);
        }
        if (badRows < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bad-rows must not be negative");
        }
        GeneratorConfig config;
        try {
            config = scale != null ? GeneratorConfig.ml20m().scaled(scale) : config(preset);
            if (seed != null) {
                config = config.withRandomSeed(seed);
            }
            if (badRows > 0) {
                config = config.withBadRows(BadRows.eachKind(badRows));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            GenerationReport report;
            try {
                report = target.directory != null
                        ? MovieLensGenerator.generate(config, target.directory, layout)
                        : MovieLensGenerator.generateZip(config, target.zip, layout);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            spec.commandLine().getOut().println(report.summary());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot write the files: " + e);
            return 1;
        }
    }

    private static GeneratorConfig config(Preset preset) {
        if (preset == null) {
            return GeneratorConfig.demo();
        }
        return switch (preset) {
            case TINY -> GeneratorConfig.tiny();
            case DEMO -> GeneratorConfig.demo();
            case ML20M -> GeneratorConfig.ml20m();
        };
    }
}
