package org.recofilms.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * The entry point. Without arguments the app serves until stopped. With arguments it runs one
 * {@link RecoCommand} subcommand and exits with its status (0 done, 1 the job failed, 2 usage error).
 *
 * <p>HTTP listener, Kafka consumers and scheduler start with Quarkus, before any command could say
 * otherwise, so {@link #main} decides first: a command adds the {@code command} profile, whose
 * settings (application.properties) switch them off. {@code generate} needs no database and no
 * broker, so it runs before Quarkus starts at all.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    /** The profile added when the jar runs a command. */
    static final String COMMAND_PROFILE = "command";

    private final CommandLine.IFactory factory;

    public Main(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    public static void main(String... args) {
        OptionalInt answered = answerBeforeStart(args);
        if (answered.isPresent()) {
            System.exit(answered.getAsInt());
        }
        if (args.length > 0 && args[0].equals(GenerateCommand.NAME)) {
            System.exit(RecoCommand.configure(new CommandLine(new GenerateCommand()))
                    .execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0) {
            System.setProperty("quarkus.profile", activeProfiles() + "," + COMMAND_PROFILE);
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return RecoCommand.configure(new CommandLine(RecoCommand.class, factory))
                .execute(args);
    }

    /**
     * Help and usage errors need no service: picocli parses the arguments against commands built
     * without them, so {@code --help} or a bad option answers at once, without a database. Empty
     * when the arguments name a job to run (or none: the server).
     */
    static OptionalInt answerBeforeStart(String... args) {
        if (args.length == 0) {
            return OptionalInt.empty();
        }
        CommandLine line = RecoCommand.configure(new CommandLine(RecoCommand.class, new ParseOnlyFactory()));
        try {
            if (CommandLine.printHelpIfRequested(line.parseArgs(args))) {
                return OptionalInt.of(CommandLine.ExitCode.OK);
            }
            return OptionalInt.empty();
        } catch (CommandLine.ParameterException e) {
            try {
                return OptionalInt.of(line.getParameterExceptionHandler().handleParseException(e, args));
            } catch (Exception unexpected) {
                return OptionalInt.of(CommandLine.ExitCode.USAGE);
            }
        }
    }

    /** Builds a command from its constructor with no services: enough to parse, never to run. */
    static final class ParseOnlyFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls.isInterface() || !cls.isAnnotationPresent(CommandLine.Command.class)) {
                return CommandLine.defaultFactory().create(cls);
            }
            Constructor<?> constructor = cls.getDeclaredConstructors()[0];
            constructor.setAccessible(true);
            return cls.cast(constructor.newInstance(new Object[constructor.getParameterCount()]));
        }
    }

    /** The profiles the jar would run with otherwise: prod unless set. */
    private static String activeProfiles() {
        String set = System.getProperty("quarkus.profile", System.getenv("QUARKUS_PROFILE"));
        return set == null || set.isBlank() ? "prod" : set;
    }
}
