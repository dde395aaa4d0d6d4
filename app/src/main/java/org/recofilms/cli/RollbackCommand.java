package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.PromotionService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

    @Mixin
    HelpOption help;

    @Mixin
    AliasMove move;

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
        return move.run(promotion, config, json, "rollback");
    }
}
