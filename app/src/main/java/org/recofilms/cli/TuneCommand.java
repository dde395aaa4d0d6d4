package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.recofilms.pipeline.TuneAndPromote;
import org.recofilms.platform.BadRequestException;
import org.recofilms.training.TuningRequest;
import org.recofilms.training.TuningRequests;
import org.recofilms.training.TuningService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tune [--family=F] [--strategy=grid|random] [--trials=N] [--seed=S] [--space NAME=MIN:MAX[:log]]...
 * [--space NAME=V1,V2,...]... [-p NAME=VALUE]...}: one tuning run, as {@code POST /pipelines/tuning} does it
 * (checked the same way): the search on the validation users, each trial a child run of one parent run, then the
 * best trained on all the data, registered and promoted when it beats the champion. Prints the trials and the
 * final training as JSON.
 */
@Command(
        name = "tune",
        description = "Searches one family's parameters on the validation users; trains, registers and promotes the"
                + " best.",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {
            RecoCommand.DONE,
            "1:the search, the training, the registry or the promotion failed",
            RecoCommand.USAGE
        })
public class TuneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(
            names = "--family",
            paramLabel = "FAMILY",
            description = "itemknn, rp3beta, ease or ials (default: reco.training.family)")
    Optional<String> family;

    @Option(names = "--strategy", paramLabel = "STRATEGY", description = "grid or random (default random)")
    Optional<String> strategy;

    @Option(names = "--trials", paramLabel = "N", description = "trials, 1 to reco.tuning.max-trials (default 10)")
    Optional<Integer> trials;

    @Option(names = "--seed", paramLabel = "SEED", description = "seed of a random search (default 42)")
    Optional<Long> seed;

    @Option(
            names = "--space",
            paramLabel = "NAME=MIN:MAX[:log]|NAME=V1,V2",
            description = "a searched parameter: a range (log-uniform with :log) or a list of values; replaces the"
                    + " family's default dimension of that name; repeatable")
    Map<String, String> space = new LinkedHashMap<>();

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "a fixed training parameter of every trial, snake_case (e.g. top_k=100); repeatable")
    Map<String, String> params = new LinkedHashMap<>();

    private final TuneAndPromote tuneAndPromote;
    private final TuningRequests requests;
    private final ObjectMapper json;

    public TuneCommand(TuneAndPromote tuneAndPromote, TuningRequests requests, ObjectMapper json) {
        this.tuneAndPromote = tuneAndPromote;
        this.requests = requests;
        this.json = json;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TuningRequest request;
        try {
            request = requests.parse(given());
        } catch (BadRequestException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TuneAndPromote.Result r = tuneAndPromote.run(UUID.randomUUID(), request, TuneAndPromote.Listener.NONE);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("parent_run_id", r.parentRunId());
        List<Map<String, Object>> trials = new ArrayList<>();
        for (TuningService.Trial t : r.search().trials()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("trial", t.index() + 1);
            one.put("params", t.searched());
            one.put(TuningService.OBJECTIVE, t.objective());
            one.put(TuningService.OBJECTIVE + "_se", t.metrics().get(TuningService.OBJECTIVE + "_se"));
            one.put("seconds", t.seconds());
            trials.add(one);
        }
        report.put("trials", trials);
        report.put("best_trial", r.search().best() + 1);
        report.put("validation_users", r.search().validationUsers());
        report.put("training", r.trained().training());
        RecoCommand.printJson(out, json, report);
        out.println("promotion: "
                + (r.trained().succeeded()
                        ? "version " + r.trained().version().orElseThrow().version() + ": "
                                + r.trained().promotion().orElseThrow().reason()
                        : "not promoted: " + r.trained().error()));
        out.flush();
        return r.trained().succeeded() ? 0 : 1;
    }

    /** The options as a tuning run's text parameters. */
    Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>();
        for (String reserved : List.of("family", "strategy", "trials", "seed", "space")) {
            if (params.containsKey(reserved)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give " + reserved + " with --" + reserved);
            }
        }
        family.ifPresent(f -> given.put("family", f));
        strategy.ifPresent(s -> given.put("strategy", s));
        trials.ifPresent(t -> given.put("trials", Integer.toString(t)));
        seed.ifPresent(s -> given.put("seed", Long.toString(s)));
        if (!space.isEmpty()) {
            Map<String, Object> dims = new LinkedHashMap<>();
            space.forEach((name, text) -> dims.put(name, dimension(name, text)));
            given.put("space", TuningRequests.spaceText(dims));
        }
        given.putAll(params);
        return given;
    }

    /** {@code MIN:MAX[:log]} as a range, {@code V1,V2,...} (or one value) as a list. */
    private Object dimension(String name, String text) {
        String[] range = text.split(":", -1);
        if (range.length == 2 || range.length == 3) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("min", number(name, range[0]));
            r.put("max", number(name, range[1]));
            if (range.length == 3) {
                if (!range[2].equals("log")) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--space " + name + ": the third part may only be 'log'");
                }
                r.put("log", true);
            }
            return r;
        }
        if (range.length > 3) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--space " + name + ": MIN:MAX[:log] or V1,V2,..., got '" + text + "'");
        }
        List<Object> values = new ArrayList<>();
        for (String v : text.split(",", -1)) {
            values.add(value(v.strip()));
        }
        return values;
    }

    private Number number(String name, String text) {
        Object v = value(text.strip());
        if (v instanceof Number n) {
            return n;
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(), "--space " + name + ": '" + text + "' is not a number");
    }

    /** A whole number as an integer, a decimal as a double, true/false as a boolean, else the text. */
    static Object value(String text) {
        if (text.matches("[-+]?\\d{1,9}")) {
            return Integer.parseInt(text);
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
