package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.recofilms.platform.RecoConfig;
import org.recofilms.registry.PromotionService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

    @Mixin
    HelpOption help;

    @Mixin
    AliasMove move;

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
        return move.run(promotion, config, json, "manual promotion");
    }
}
