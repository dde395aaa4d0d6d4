package org.recofilms.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top command: {@code java -jar quarkus-run.jar COMMAND [OPTIONS]}. */
@Command(
        name = "reco-films",
        description = "Runs one job against the configured database and exits; without arguments the app serves.",
        subcommands = {
            IngestCommand.class,
            TrainCommand.class,
            TuneCommand.class,
            MonitorCommand.class,
            GenerateCommand.class,
            PromoteCommand.class,
            RollbackCommand.class
        },
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {RecoCommand.DONE, RecoCommand.FAILED, RecoCommand.USAGE})
public class RecoCommand implements Callable<Integer> {

    static final String EXIT_CODES = "%nExit codes:%n";
    static final String DONE = "0:done";
    static final String FAILED = "1:the job failed";
    static final String USAGE = "2:usage error (unknown command or option, bad value)";

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    /** Options given without a command: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The settings every command line of the app shares. */
    static CommandLine configure(CommandLine commandLine) {
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Prints {@code value} as indented JSON, as every command reports its result. */
    static void printJson(PrintWriter out, ObjectMapper json, Object value) {
        try {
            out.println(json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        } catch (JsonProcessingException e) {
            out.println(value);
        }
        out.flush();
    }
}
