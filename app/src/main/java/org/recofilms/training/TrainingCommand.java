package org.recofilms.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.recofilms.registry.TrainAndPromote;

/**
 * {@code train [--snapshot=FILE] [--promote]}: one training run from the command line (a fresh
 * snapshot of the current ratings, or the given one); prints its result as JSON, then the peak heap
 * of the run. With {@code --promote} the model is also published to the registry and promoted when
 * it beats the champion, as the pipeline does.
 */
@ApplicationScoped
public class TrainingCommand {

    private final TrainingService training;
    private final TrainAndPromote trainAndPromote;
    private final ObjectMapper json;

    public TrainingCommand(TrainingService training, TrainAndPromote trainAndPromote, ObjectMapper json) {
        this.training = training;
        this.trainAndPromote = trainAndPromote;
        this.json = json;
    }

    public int run(String... args) {
        Optional<Path> snapshot = Optional.empty();
        boolean promote = false;
        for (String arg : args) {
            if (arg.equals("--promote")) {
                promote = true;
            } else if (arg.startsWith("--snapshot=")) {
                snapshot = Optional.of(Path.of(arg.substring("--snapshot=".length())));
            } else {
                System.err.println("unknown option " + arg + "; usage: train [--snapshot=FILE] [--promote]");
                return 2;
            }
        }
        if (promote && snapshot.isPresent()) {
            System.err.println("--promote trains on a fresh snapshot; it does not take --snapshot");
            return 2;
        }
        TrainingResult result;
        String promotion = null;
        if (promote) {
            TrainAndPromote.Result r = trainAndPromote.run(UUID.randomUUID());
            result = r.training();
            promotion = r.error() != null
                    ? "not promoted: " + r.error()
                    : "version " + r.version().orElseThrow().version() + ": "
                            + r.promotion().orElseThrow().reason();
        } else {
            result = training.train(UUID.randomUUID(), snapshot, training.params());
        }
        try {
            System.out.println(
                    json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } catch (JsonProcessingException e) {
            System.out.println(result);
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap: %d MB%n", peakHeap >> 20);
        if (promotion != null) {
            System.out.println("promotion: " + promotion);
        }
        return result.status() == TrainingResult.Status.SUCCESS && (promotion == null || !promotion.startsWith("not"))
                ? 0
                : 1;
    }
}
