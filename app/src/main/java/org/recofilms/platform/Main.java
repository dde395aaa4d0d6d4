package org.recofilms.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.Arrays;
import org.recofilms.ingestion.IngestionCommand;
import org.recofilms.monitoring.MonitoringCommand;
import org.recofilms.training.TrainingCommand;

/**
 * The entry point. Without arguments the app serves until stopped. With a command it runs that
 * one job against the configured database and exits with its status, for operators and benchmarks:
 * {@code java -jar quarkus-run.jar ingest [--source=URL|ZIP|DIR]}, {@code train [--snapshot=FILE] [--promote]}
 * or {@code monitor [--day=YYYY-MM-DD | --backfill]}.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    IngestionCommand ingest;

    @Inject
    TrainingCommand train;

    @Inject
    MonitoringCommand monitor;

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "ingest" -> ingest.run(rest);
            case "train" -> train.run(rest);
            case "monitor" -> monitor.run(rest);
            default -> {
                System.err.println("unknown command '" + args[0]
                        + "'; commands: ingest [--source=URL|ZIP|DIR], train [--snapshot=FILE] [--promote],"
                        + " monitor [--day=YYYY-MM-DD | --backfill]");
                yield 2;
            }
        };
    }
}
