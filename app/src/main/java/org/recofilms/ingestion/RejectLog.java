package org.recofilms.ingestion;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every rejected line of a run: counted by file and kind, and the first {@code storedLimit} kept
 * with file, line number and content for raw.ingestion_rejects. Thread-safe: the loader and the
 * index builders (duplicates found by SQL) both add to it.
 */
final class RejectLog {

    /** One rejected line. Line numbers count the header as line 1; -1 when unknown. */
    record Reject(String file, long line, RejectKind kind, String content) {}

    private final int storedLimit;
    private final Map<String, EnumMap<RejectKind, Long>> counts = new LinkedHashMap<>();
    private final List<Reject> stored = new ArrayList<>();

    RejectLog(int storedLimit) {
        this.storedLimit = storedLimit;
    }

    synchronized void add(String file, long line, RejectKind kind, String content) {
        counts.computeIfAbsent(file, f -> new EnumMap<>(RejectKind.class)).merge(kind, 1L, Long::sum);
        if (stored.size() < storedLimit) {
            String kept = content.length() > 500 ? content.substring(0, 500) + "..." : content;
            stored.add(new Reject(file, line, kind, kept));
        }
    }

    synchronized long count(String file) {
        return counts.getOrDefault(file, new EnumMap<>(RejectKind.class)).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    synchronized long count(String file, RejectKind kind) {
        return counts.getOrDefault(file, new EnumMap<>(RejectKind.class)).getOrDefault(kind, 0L);
    }

    /** Counts as {file: {kind: n}}, for the run log. */
    synchronized Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        counts.forEach((file, byKind) -> {
            Map<String, Long> m = new LinkedHashMap<>();
            byKind.forEach((k, n) -> m.put(k.name(), n));
            out.put(file, m);
        });
        return out;
    }

    synchronized List<Reject> stored() {
        return List.copyOf(stored);
    }
}
