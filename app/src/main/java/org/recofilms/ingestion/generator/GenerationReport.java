package org.recofilms.ingestion.generator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recofilms.ingestion.RejectKind;

/**
 * What one generation wrote.
 *
 * @param target the directory (or zip file) written
 * @param files the file names, in writing order
 * @param goodRows good data lines per file name (headers and injected bad lines not counted)
 * @param badRows injected bad lines per file name and kind (files without any are left out)
 * @param injected every injected bad line with its line number, in file order then line order
 * @param elapsed wall-clock time of the generation
 */
public record GenerationReport(
        Path target,
        List<String> files,
        Map<String, Long> goodRows,
        Map<String, Map<RejectKind, Integer>> badRows,
        List<InjectedBadRow> injected,
        Duration elapsed) {

    public GenerationReport {
        files = List.copyOf(files);
        goodRows = Collections.unmodifiableMap(new LinkedHashMap<>(goodRows));
        final Map<String, Map<RejectKind, Integer>> bad = new LinkedHashMap<>();
        for (final Map.Entry<String, Map<RejectKind, Integer>> entry : badRows.entrySet()) {
            final EnumMap<RejectKind, Integer> kinds = new EnumMap<>(RejectKind.class);
            kinds.putAll(entry.getValue());
            bad.put(entry.getKey(), Collections.unmodifiableMap(kinds));
        }
        badRows = Collections.unmodifiableMap(bad);
        injected = List.copyOf(injected);
    }

    /** Good data lines of one file (0 for a file not written). */
    public long goodRows(final String file) {
        return goodRows.getOrDefault(file, 0L);
    }

    /** Injected bad lines of one kind in one file. */
    public int badRows(final String file, final RejectKind kind) {
        return badRows.getOrDefault(file, Map.of()).getOrDefault(kind, 0);
    }

    /** Injected bad lines in all files. */
    public long totalBadRows() {
        return injected.size();
    }

    /** A few lines for a console: rows per file, bad rows per kind, time. */
    public String summary() {
        final StringBuilder text = new StringBuilder();
        text.append("MovieLens-format data in ").append(target).append('\n');
        for (final String file : files) {
            text.append(String.format(Locale.ROOT, "  %-18s %,14d rows%n", file, goodRows(file)));
        }
        for (final Map.Entry<String, Map<RejectKind, Integer>> file : badRows.entrySet()) {
            for (final Map.Entry<RejectKind, Integer> kind : file.getValue().entrySet()) {
                text.append(String.format(
                        Locale.ROOT, "  bad rows %-18s %-20s %,d%n", file.getKey(), kind.getKey(), kind.getValue()));
            }
        }
        text.append(String.format(Locale.ROOT, "  generated in %.1f s", elapsed.toMillis() / 1000.0));
        return text.toString();
    }
}
