package org.recofilms.ingestion;

import io.smallrye.faulttolerance.api.Guard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jboss.logging.Logger;

/**
 * Brings a MovieLens release into the raw data directory (the folder DVC versions): from an http(s)
 * URL (streamed to disk with progress, retried with doubling waits by a SmallRye Fault Tolerance
 * guard, resumed with a Range request where the
 * server allows), from a local zip (the entries of its {@link MovieLensLayout}, detected from their
 * names, in whatever folder), or from a local directory of such files (hard-linked, else copied).
 * The files are kept as the release has them; the loader converts each layout while it streams. Nothing in the target changes until every
 * file is complete: files are written beside it and moved in at the end.
 */
public final class MovieLensSource {

    private static final Logger LOG = Logger.getLogger(MovieLensSource.class);

    /** What a download or zip must match, when known. */
    public record Expectation(Optional<String> sha256, Optional<Long> size) {
        public static Expectation none() {
            return new Expectation(Optional.empty(), Optional.empty());
        }
    }

    /** Download settings. */
    public record Download(int attempts, Duration backoff, Duration progressInterval) {}

    private MovieLensSource() {}

    /**
     * Makes {@code rawDir} hold the MovieLens files of {@code source}; {@code downloads} keeps
     * downloaded zips between runs.
     */
    public static void materialize(String source, Path rawDir, Path downloads, Expectation expected, Download download)
            throws IOException {
        Files.createDirectories(rawDir);
        if (source.startsWith("http://") || source.startsWith("https://")) {
            Path zip = downloads.resolve(fileName(source));
            fetch(URI.create(source), zip, expected, download);
            extract(zip, rawDir, expected);
        } else {
            Path path = Path.of(source);
            if (Files.isDirectory(path)) {
                linkDirectory(path, rawDir);
            } else if (Files.isRegularFile(path)) {
                extract(path, rawDir, expected);
            } else {
                throw new IngestionException("MovieLens source not found: " + source
                        + " (an http(s) URL, a zip file or a directory of MovieLens files)");
            }
        }
        MovieLensLayout layout = MovieLensLayout.of(rawDir);
        for (String name : layout.required()) {
            if (!Files.exists(rawDir.resolve(name))) {
                throw new IngestionException("required file missing: " + source + " has no " + name);
            }
        }
    }

    private static String fileName(String url) {
        String path = URI.create(url).getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() ? "movielens.zip" : name;
    }

    private static void linkDirectory(Path from, Path rawDir) throws IOException {
        if (from.toRealPath().equals(rawDir.toRealPath())) {
            return;
        }
        MovieLensLayout layout = MovieLensLayout.of(from);
        for (String name : layout.files()) {
            Path source = from.resolve(name);
            Path target = rawDir.resolve(name);
            if (!Files.exists(source)) {
                if (layout.required().contains(name)) {
                    throw new IngestionException("required file missing: " + source);
                }
                Files.deleteIfExists(target);
                continue;
            }
            if (Files.exists(target) && Files.isSameFile(source, target)) {
                continue;
            }
            Path part = rawDir.resolve(name + ".part");
            Files.deleteIfExists(part);
            try {
                Files.createLink(part, source);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        removeOtherLayouts(rawDir, layout);
    }

    /** Files of another layout left by an earlier source would confuse the detection: they go. */
    private static void removeOtherLayouts(Path rawDir, MovieLensLayout layout) throws IOException {
        for (String name : MovieLensLayout.allFiles()) {
            if (!layout.files().contains(name)) {
                Files.deleteIfExists(rawDir.resolve(name));
            }
        }
    }

    /**
     * Extracts the files of the layout that {@code zip}'s entries hold (detected from their names,
     * wherever they sit in it), each streamed straight to disk.
     */
    static void extract(Path zipFile, Path rawDir, Expectation expected) throws IOException {
        check(zipFile, expected);
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            List<String> names = zip.stream()
                    .filter(e -> !e.isDirectory())
                    .map(e -> e.getName().substring(e.getName().lastIndexOf('/') + 1))
                    .toList();
            MovieLensLayout layout = MovieLensLayout.detect(names)
                    .orElseThrow(() -> new IngestionException(
                            MovieLensLayout.noLayout(zipFile.getFileName().toString())));
            for (String name : layout.files()) {
                Optional<? extends ZipEntry> entry = zip.stream()
                        .filter(e -> !e.isDirectory()
                                && (e.getName().equals(name) || e.getName().endsWith("/" + name)))
                        .findFirst();
                Path target = rawDir.resolve(name);
                if (entry.isEmpty()) {
                    if (layout.required().contains(name)) {
                        throw new IngestionException(
                                "required file missing: " + zipFile.getFileName() + " has no " + name);
                    }
                    Files.deleteIfExists(target);
                    continue;
                }
                Path part = rawDir.resolve(name + ".part");
                try (InputStream in = zip.getInputStream(entry.get())) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            removeOtherLayouts(rawDir, layout);
        } catch (ZipException e) {
            throw new IngestionException("corrupt zip " + zipFile.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static void check(Path file, Expectation expected) throws IOException {
        if (expected.size().isPresent() && Files.size(file) != expected.size().get()) {
            throw new IngestionException(file.getFileName() + " has " + Files.size(file) + " bytes, expected "
                    + expected.size().get());
        }
        if (expected.sha256().isPresent()) {
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(expected.sha256().get())) {
                throw new IngestionException(file.getFileName() + " has SHA-256 " + actual + ", expected "
                        + expected.sha256().get());
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Downloads {@code uri} to {@code target}. A complete file that matches the expectation is kept;
     * a partial one ({@code target}.part) is resumed with a Range request when the server answers
     * 206, restarted otherwise.
     */
    static void fetch(URI uri, Path target, Expectation expected, Download download) throws IOException {
        if (Files.exists(target)) {
            try {
                check(target, expected);
                LOG.infof("using the downloaded %s", target);
                return;
            } catch (IngestionException stale) {
                LOG.warnf("%s: downloading it again", stale.getMessage());
                Files.delete(target);
            }
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
        int attempts = download.attempts();
        AtomicInteger attempt = new AtomicInteger();
        try {
            retries(download)
                    .call(
                            () -> {
                                int n = attempt.incrementAndGet();
                                try {
                                    downloadOnce(http, uri, part, download.progressInterval());
                                    Files.move(
                                            part,
                                            target,
                                            StandardCopyOption.REPLACE_EXISTING,
                                            StandardCopyOption.ATOMIC_MOVE);
                                } catch (IOException e) {
                                    LOG.warnf(
                                            "download of %s failed (attempt %d of %d): %s",
                                            uri, n, attempts, e.getMessage());
                                    throw e;
                                }
                                check(target, expected);
                                return null;
                            },
                            Void.class);
        } catch (IOException e) {
            throw new IngestionException(
                    "could not download " + uri + " after " + attempts + " attempts: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Retries of a failed download (I/O errors only: a checksum or size mismatch is final), the wait
     * doubling from {@code download.backoff()}; no bound on the total time, as one attempt alone may
     * take many minutes.
     */
    private static Guard retries(Download download) {
        return Guard.create()
                .withDescription("movielens-download")
                .withRetry()
                .maxRetries(download.attempts() - 1)
                .delay(download.backoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(0, ChronoUnit.MILLIS)
                .retryOn(IOException.class)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(0, ChronoUnit.MILLIS)
                .done()
                .done()
                .build();
    }

    private static void downloadOnce(HttpClient http, URI uri, Path part, Duration progressInterval)
            throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int status = response.statusCode();
        boolean resumed = status == 206 && have > 0;
        if (status != 200 && status != 206) {
            response.body().close();
            throw new IOException("HTTP " + status);
        }
        long expectedTotal =
                response.headers().firstValueAsLong("Content-Length").orElse(-1) + (resumed ? have : 0);
        if (!resumed) {
            have = 0;
        }
        LOG.infof("downloading %s%s", uri, resumed ? " (resuming at " + have + " bytes)" : "");
        long done = have;
        long startNanos = System.nanoTime();
        long lastLog = startNanos;
        try (InputStream in = response.body();
                OutputStream out = Files.newOutputStream(
                        part,
                        StandardOpenOption.CREATE,
                        resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                done += n;
                long now = System.nanoTime();
                if (now - lastLog > progressInterval.toNanos()) {
                    lastLog = now;
                    double rate = (done - have) / ((now - startNanos) / 1e9);
                    String eta = expectedTotal > 0
                            ? String.format(", ETA %.0f s", (expectedTotal - done) / Math.max(rate, 1))
                            : "";
                    LOG.infof(
                            "download: %d of %s bytes, %.1f MB/s%s",
                            done, expectedTotal > 0 ? Long.toString(expectedTotal) : "?", rate / 1e6, eta);
                }
            }
        }
        if (expectedTotal > 0 && done != expectedTotal) {
            throw new IOException("connection closed at " + done + " of " + expectedTotal + " bytes");
        }
    }
}
