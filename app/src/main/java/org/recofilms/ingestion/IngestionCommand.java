package org.recofilms.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.recofilms.platform.RecoConfig;

/** {@code ingest [--source=...]}: one ingestion run from the command line; prints its result as JSON. */
@ApplicationScoped
public class IngestionCommand {

    private final IngestionService ingestion;
    private final RecoConfig config;
    private final ObjectMapper json;

    public IngestionCommand(IngestionService ingestion, RecoConfig config, ObjectMapper json) {
        this.ingestion = ingestion;
        this.config = config;
        this.json = json;
    }

    public int run(String... args) {
        String source = config.ingestion().source();
        for (String arg : args) {
            if (arg.startsWith("--source=")) {
                source = arg.substring("--source=".length());
            } else {
                System.err.println("unknown option " + arg + "; usage: ingest [--source=URL|ZIP|DIR]");
                return 2;
            }
        }
        IngestionResult result = ingestion.ingest(UUID.randomUUID(), source, LoadProgress.NONE);
        try {
            System.out.println(
                    json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } catch (JsonProcessingException e) {
            System.out.println(result);
        }
        return result.status() == IngestionResult.Status.SUCCESS ? 0 : 1;
    }
}
