package org.recofilms.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
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

    /** The profiles the jar would run with otherwise: prod unless set. */
    private static String activeProfiles() {
        String set = System.getProperty("quarkus.profile", System.getenv("QUARKUS_PROFILE"));
        return set == null || set.isBlank() ? "prod" : set;
    }
}
