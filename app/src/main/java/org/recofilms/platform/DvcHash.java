package org.recofilms.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Dataset versions computed the way {@code dvc add} (DVC 3, {@code hash: md5}) does, without DVC:
 * a file's version is the md5 of its bytes; a directory's is the md5 of the JSON listing
 * {@code [{"md5": "...", "relpath": "..."}, ...]} of its files sorted by relative path, as Python's
 * {@code json.dumps(..., sort_keys=True)} writes it, with the suffix {@code .dir}.
 */
public final class DvcHash {

    private DvcHash() {}

    /** One file of a directory listing. */
    public record Entry(String relpath, String md5, long size) {}

    /** The version of a directory: its dir md5, total size and file count, and its listing. */
    public record DirVersion(String md5, long size, int nfiles, List<Entry> entries) {}

    public static String md5(Path file) throws IOException {
        MessageDigest digest = md5();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static DirVersion directory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<Entry> entries = new ArrayList<>();
        long size = 0;
        for (Path file : files) {
            String relpath = dir.relativize(file).toString().replace('\\', '/');
            long bytes = Files.size(file);
            entries.add(new Entry(relpath, md5(file), bytes));
            size += bytes;
        }
        // DVC sorts by the path's parts; with '/' joining them this is the same as comparing the
        // parts one by one as long as no name holds a character below '/', which MovieLens's don't.
        entries.sort((a, b) -> comparePaths(a.relpath(), b.relpath()));
        return new DirVersion(listingMd5(entries) + ".dir", size, entries.size(), List.copyOf(entries));
    }

    static String listingMd5(List<Entry> entries) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                json.append(", ");
            }
            json.append("{\"md5\": ").append(jsonString(entries.get(i).md5()));
            json.append(", \"relpath\": ")
                    .append(jsonString(entries.get(i).relpath()))
                    .append('}');
        }
        json.append(']');
        return HexFormat.of().formatHex(md5().digest(json.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Python's json.dumps string escaping (ensure_ascii=True). */
    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static int comparePaths(String a, String b) {
        String[] pa = a.split("/");
        String[] pb = b.split("/");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    /**
     * Writes a DVC pointer file for {@code dir} at {@code pointer}, in the format {@code dvc add}
     * writes (its {@code path} relative to the pointer's folder), and returns it.
     */
    public static Path writePointer(Path pointer, Path dir, DirVersion version) throws IOException {
        String path = pointer.toAbsolutePath()
                .getParent()
                .relativize(dir.toAbsolutePath())
                .toString()
                .replace('\\', '/');
        String text = "outs:\n"
                + "- md5: " + version.md5() + "\n"
                + "  size: " + version.size() + "\n"
                + "  nfiles: " + version.nfiles() + "\n"
                + "  hash: md5\n"
                + "  path: " + path + "\n";
        return writeAtomically(pointer, text);
    }

    /** Writes the pointer {@code dvc add} writes for a single file: {@code file}.dvc beside it. */
    public static Path writeFilePointer(Path file, String md5) throws IOException {
        Path pointer = file.resolveSibling(file.getFileName() + ".dvc");
        String text = "outs:\n"
                + "- md5: " + md5 + "\n"
                + "  size: " + Files.size(file) + "\n"
                + "  hash: md5\n"
                + "  path: " + file.getFileName() + "\n";
        return writeAtomically(pointer, text);
    }

    /** Writes beside the target and moves in, so that a reader never sees half a pointer. */
    private static Path writeAtomically(Path pointer, String text) throws IOException {
        Path tmp = pointer.resolveSibling(pointer.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, pointer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return pointer;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
