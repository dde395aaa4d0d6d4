package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.PromotionService;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options and the work of {@code promote} and {@code rollback}: both point the production alias
 * at {@code --version}, recorded with actor {@code cli} and why; they differ only in what they call it.
 */
class AliasMove {

    /** Who the promotion decisions name for moves made from the command line. */
    static final String ACTOR = "cli";

    /** What the command printed: the same fields as the answer of POST /model/promote. */
    record Moved(String model, int version, String alias, String runId, String reason) {}

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--version", paramLabel = "N", required = true, description = "the model version")
    int version;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, kept in the promotion decisions")
    String reason;

    /** Moves the alias to {@code version}, prints the result; 1 when the version does not exist. */
    int run(PromotionService promotion, RecoConfig config, ObjectMapper json, String what) {
        if (version < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--version must be at least 1");
        }
        try {
            PromotionService.Outcome outcome =
                    promotion.promote(version, ACTOR, reason == null || reason.isBlank() ? what : what + ": " + reason);
            ModelVersion v = outcome.version();
            RecoCommand.printJson(
                    spec.commandLine().getOut(),
                    json,
                    new Moved(v.modelName(), v.version(), config.registry().alias(), v.runId(), outcome.reason()));
            return 0;
        } catch (PromotionService.UnknownVersionException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
