package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.recofilms.pipeline.TrainAndPromote;
import org.recofilms.platform.BadRequestException;
import org.recofilms.training.ModelSpec;
import org.recofilms.training.TrainingListener;
import org.recofilms.training.TrainingRequests;
import org.recofilms.training.TrainingResult;
import org.recofilms.training.TrainingService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train [--family=F] [--param NAME=VALUE]... [--snapshot=FILE] [--promote]}: one training run of
 * a family (the configured one by default) with its parameters (checked as {@code POST
 * /pipelines/training} checks them), from a fresh snapshot of the current ratings or from the given
 * one; prints its result as JSON, then the peak of the heap in use ({@link HeapPeak}). With
 * {@code --promote} the model is also published to the registry and promoted when it beats the
 * champion, as the pipeline does, from a given snapshot too.
 */
@Command(
        name = "train",
        description = "Trains a model (item-kNN by default) and evaluates it; optionally publishes and promotes it.",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {
            RecoCommand.DONE,
            "1:the training failed, or with --promote the registry or the promotion failed",
            RecoCommand.USAGE
        })
public class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(
            names = "--snapshot",
            paramLabel = "FILE",
            description = "train from this Parquet snapshot (reproduces a run) instead of a fresh export")
    Optional<Path> snapshot;

    @Option(
            names = "--family",
            paramLabel = "FAMILY",
            description = "itemknn, rp3beta, ease or ials (default: reco.training.family)")
    Optional<String> family;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "a parameter of the family, snake_case as in the REST body (e.g. l2=300, top_k=50);"
                    + " repeatable; left out: the configured default")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--promote",
            description = "publish the model to the registry and promote it when it beats the champion")
    boolean promote;

    private HeapPeak heapPeak;
    private final TrainingService training;
    private final TrainAndPromote trainAndPromote;
    private final ObjectMapper json;
    private final TrainingRequests requests;

    public TrainCommand(
            TrainingService training, TrainAndPromote trainAndPromote, ObjectMapper json, TrainingRequests requests) {
        this.requests = requests;
        this.training = training;
        this.trainAndPromote = trainAndPromote;
        this.json = json;
    }

    @Override
    public Integer call() {
        heapPeak = HeapPeak.watch();
        PrintWriter out = spec.commandLine().getOut();
        UUID runId = UUID.randomUUID();
        Map<String, String> given = new LinkedHashMap<>(params);
        if (given.containsKey("family")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the family with --family");
        }
        family.ifPresent(f -> given.put("family", f));
        ModelSpec model;
        try {
            model = requests.resolve(requests.parse(given));
        } catch (BadRequestException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!promote) {
            TrainingResult result = training.train(runId, snapshot, model, TrainingListener.NONE);
            report(out, result);
            return result.status() == TrainingResult.Status.SUCCESS ? 0 : 1;
        }
        TrainAndPromote.Result r = trainAndPromote.run(runId, snapshot, model, TrainAndPromote.Listener.NONE);
        report(out, r.training());
        out.println("promotion: "
                + (r.succeeded()
                        ? "version " + r.version().orElseThrow().version() + ": "
                                + r.promotion().orElseThrow().reason()
                        : "not promoted: " + r.error()));
        out.flush();
        return r.succeeded() ? 0 : 1;
    }

    private void report(PrintWriter out, TrainingResult result) {
        RecoCommand.printJson(out, json, result);
        long peak = heapPeak.bytes();
        out.println(
                peak < 0
                        ? "peak heap: unknown"
                        : "peak heap: " + (peak >> 20) + " MB, garbage included (after a collection at most "
                                + (heapPeak.liveBytes() >> 20) + " MB)");
        out.flush();
    }
}
