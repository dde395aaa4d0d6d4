package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.platform.RecoConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest [--source=URL|ZIP|DIR]}: one ingestion run; prints its result as JSON. */
@Command(
        name = "ingest",
        description = "Loads MovieLens into PostgreSQL: download or read, COPY, quality checks, atomic swap.",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {
            RecoCommand.DONE,
            "1:the run failed (bad files, too many rejects, a failed check)",
            RecoCommand.USAGE
        })
public class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(
            names = "--source",
            paramLabel = "URL|ZIP|DIR",
            description = "an http(s) URL of the MovieLens zip, a local zip or a directory of the six CSV files"
                    + " (default: reco.ingestion.source)")
    Optional<String> source;

    private final IngestionService ingestion;
    private final RecoConfig config;
    private final ObjectMapper json;

    public IngestCommand(IngestionService ingestion, RecoConfig config, ObjectMapper json) {
        this.ingestion = ingestion;
        this.config = config;
        this.json = json;
    }

    @Override
    public Integer call() {
        IngestionResult result = ingestion.ingest(
                UUID.randomUUID(), source.orElse(config.ingestion().source()), LoadProgress.NONE);
        RecoCommand.printJson(spec.commandLine().getOut(), json, result);
        return result.status() == IngestionResult.Status.SUCCESS ? 0 : 1;
    }
}
