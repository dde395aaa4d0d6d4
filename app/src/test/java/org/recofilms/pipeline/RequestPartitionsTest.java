package org.recofilms.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RepositoryRoot;

/**
 * Where the producer's default partitioner puts each kind's requests on reco.pipeline.requests
 * (keyed by kind), with the partition count of kafka/topics.conf. One worker consumes a partition
 * one request at a time, so two kinds on one partition never run together: that must only happen
 * to kinds that conflict anyway (kafka/README.md, "Sizing"). Changing the partition count or the
 * kinds moves them; this test says whether the spread still fits.
 */
class RequestPartitionsTest {

    @Test
    void kindsThatMayRunTogetherAreOnDifferentPartitions() throws IOException {
        int partitions = requestPartitions();
        Map<PipelineKind, Integer> partitionOf = new EnumMap<>(PipelineKind.class);
        for (PipelineKind kind : PipelineKind.values()) {
            partitionOf.put(kind, partition(kind, partitions));
        }
        Map<Integer, List<String>> spread = new TreeMap<>();
        partitionOf.forEach(
                (kind, p) -> spread.computeIfAbsent(p, k -> new ArrayList<>()).add(kind.id()));
        System.out.println("reco.pipeline.requests, " + partitions + " partitions: " + spread);
        for (PipelineKind a : PipelineKind.values()) {
            for (PipelineKind b : PipelineKind.values()) {
                if (a != b && partitionOf.get(a).equals(partitionOf.get(b))) {
                    assertTrue(
                            a.conflicts().contains(b),
                            a.id() + " and " + b.id() + " may run together but share partition " + partitionOf.get(a)
                                    + ", so one worker runs them in turn: " + spread);
                }
            }
        }
    }

    @Test
    void theSpreadKafkaReadmeDescribes() throws IOException {
        int partitions = requestPartitions();
        assertEquals(3, partitions, "kafka/README.md (Sizing) describes 3 partitions: update it with topics.conf");
        Map<Integer, Set<String>> spread = new TreeMap<>();
        for (PipelineKind kind : PipelineKind.values()) {
            spread.computeIfAbsent(partition(kind, partitions), k -> new TreeSet<>())
                    .add(kind.id());
        }
        // partition 1 gets no kind
        assertEquals(
                Map.of(0, Set.of("ingestion", "daily", "monitoring"), 2, Set.of("training", "tuning")),
                spread,
                "the spread of kafka/README.md (Sizing)");
    }

    private static int partition(PipelineKind kind, int partitions) {
        return BuiltInPartitioner.partitionForKey(kind.id().getBytes(StandardCharsets.UTF_8), partitions);
    }

    private static int requestPartitions() throws IOException {
        for (String line : Files.readAllLines(RepositoryRoot.topicsFile())) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && fields[0].equals("reco.pipeline.requests")) {
                return Integer.parseInt(fields[1]);
            }
        }
        throw new AssertionError("reco.pipeline.requests is not in kafka/topics.conf");
    }
}
