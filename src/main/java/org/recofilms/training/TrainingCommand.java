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

/**
 * {@code train [--snapshot=FILE]}: one training run from the command line (a fresh snapshot of the
 * current ratings, or the given one); prints its result as JSON, then the peak heap of the run.
 */
@ApplicationScoped
public class TrainingCommand {

    private final TrainingService training;
    private final ObjectMapper json;

    public TrainingCommand(TrainingService training, ObjectMapper json) {
        this.training = training;
        this.json = json;
    }

    public int run(String... args) {
        Optional<Path> snapshot = Optional.empty();
        for (String arg : args) {
            if (arg.startsWith("--snapshot=")) {
                snapshot = Optional.of(Path.of(arg.substring("--snapshot=".length())));
            } else {
                System.err.println("unknown option " + arg + "; usage: train [--snapshot=FILE]");
                return 2;
            }
        }
        TrainingResult result = training.train(UUID.randomUUID(), snapshot, training.params());
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
        return result.status() == TrainingResult.Status.SUCCESS ? 0 : 1;
    }
}
