package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.PromotionService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code promote --version=N [--reason=TEXT]}: points the production alias at version N whatever the
 * scores, as POST /model/promote does (recorded with actor {@code cli}); prints the result as JSON.
 */
@Command(
        name = "promote",
        description = "Points the production alias at a model version (a manual promotion).",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {RecoCommand.DONE, "1:no such version, or the registry failed", RecoCommand.USAGE})
public class PromoteCommand implements Callable<Integer> {

    /** Who the promotion decisions name for moves made from the command line. */
    static final String ACTOR = "cli";

    /** What the command printed: the same fields as the answer of POST /model/promote. */
    record Moved(String model, int version, String alias, String runId, String reason) {}

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--version", paramLabel = "N", required = true, description = "the model version")
    int version;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, kept in the promotion decisions")
    String reason;

    private final PromotionService promotion;
    private final RecoConfig config;
    private final ObjectMapper json;

    public PromoteCommand(PromotionService promotion, RecoConfig config, ObjectMapper json) {
        this.promotion = promotion;
        this.config = config;
        this.json = json;
    }

    @Override
    public Integer call() {
        return move(spec, promotion, config, json, version, "manual promotion", reason);
    }

    /** Moves the alias to {@code version}, prints the result; 1 when the version does not exist. */
    static int move(
            CommandSpec spec,
            PromotionService promotion,
            RecoConfig config,
            ObjectMapper json,
            int version,
            String what,
            String reason) {
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
