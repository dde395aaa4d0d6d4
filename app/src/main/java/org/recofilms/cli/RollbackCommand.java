package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.PromotionService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rollback --version=N [--reason=TEXT]}: points the production alias back at an earlier
 * version, as POST /model/rollback does, recorded as a rollback; prints the result as JSON.
 */
@Command(
        name = "rollback",
        description = "Points the production alias back at an earlier model version.",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {RecoCommand.DONE, "1:no such version, or the registry failed", RecoCommand.USAGE})
public class RollbackCommand implements Callable<Integer> {

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

    public RollbackCommand(PromotionService promotion, RecoConfig config, ObjectMapper json) {
        this.promotion = promotion;
        this.config = config;
        this.json = json;
    }

    @Override
    public Integer call() {
        return PromoteCommand.move(spec, promotion, config, json, version, "rollback", reason);
    }
}
