package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads against a real HTTP server on loopback that drops the first connection halfway, then
 * honours Range requests: the download resumes, is retried with backoff and is checked.
 */
class MovieLensSourceTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private final byte[] payload = new byte[3_000_000];
    private final List<String> ranges = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    private URI serve(boolean supportRange, int failuresBeforeSuccess) throws IOException {
        new Random(7).nextBytes(payload);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ml-20m.zip", exchange -> {
            int n = requests.incrementAndGet();
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = 0;
            if (supportRange && range != null && range.startsWith("bytes=")) {
                from = Integer.parseInt(range.substring(6, range.indexOf('-')));
                exchange.getResponseHeaders()
                        .add("Content-Range", "bytes " + from + "-" + (payload.length - 1) + "/" + payload.length);
                exchange.sendResponseHeaders(206, payload.length - from);
            } else {
                exchange.sendResponseHeaders(200, payload.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                int end = n <= failuresBeforeSuccess ? from + (payload.length - from) / 2 : payload.length;
                out.write(payload, from, end - from);
                if (end < payload.length) {
                    out.flush();
                    exchange.close(); // drop the connection halfway
                }
            } catch (IOException expected) {
                // the client may see the drop first
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ml-20m.zip");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static MovieLensSource.Download download(int attempts) {
        return new MovieLensSource.Download(attempts, Duration.ofMillis(10), Duration.ofMillis(1));
    }

    @Test
    void aDroppedDownloadResumesWithARangeRequest() throws Exception {
        URI uri = serve(true, 1);
        Path target = tmp.resolve("ml-20m.zip");
        String sha = sha256(payload);
        MovieLensSource.fetch(
                uri,
                target,
                new MovieLensSource.Expectation(Optional.of(sha), Optional.of((long) payload.length)),
                download(3));
        assertArrayEquals(payload, Files.readAllBytes(target));
        assertEquals(2, requests.get());
        String range = ranges.get(1);
        assertTrue(range.startsWith("bytes=") && range.endsWith("-"), "a Range request: " + ranges);
        long resumedAt = Long.parseLong(range.substring(6, range.length() - 1));
        // the client resumes at what reached it, at most what the server sent before dropping
        assertTrue(resumedAt > 0 && resumedAt <= 1_500_000, "resumed where it stopped: " + ranges);
    }

    @Test
    void withoutRangeSupportTheDownloadRestarts() throws Exception {
        URI uri = serve(false, 1);
        Path target = tmp.resolve("ml-20m.zip");
        MovieLensSource.fetch(uri, target, MovieLensSource.Expectation.none(), download(3));
        assertArrayEquals(payload, Files.readAllBytes(target));
    }

    @Test
    void retriesAreBoundedAndTheErrorSaysWhy() throws Exception {
        URI uri = serve(false, 10);
        IngestionException e = assertThrows(
                IngestionException.class,
                () -> MovieLensSource.fetch(
                        uri, tmp.resolve("ml-20m.zip"), MovieLensSource.Expectation.none(), download(3)));
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertEquals(3, requests.get());
    }

    @Test
    void aChecksumMismatchIsRefused() throws Exception {
        URI uri = serve(true, 0);
        Path target = tmp.resolve("ml-20m.zip");
        IngestionException e = assertThrows(
                IngestionException.class,
                () -> MovieLensSource.fetch(
                        uri,
                        target,
                        new MovieLensSource.Expectation(Optional.of("00".repeat(32)), Optional.empty()),
                        download(1)));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aCompleteMatchingDownloadIsNotFetchedAgain() throws Exception {
        URI uri = serve(true, 0);
        Path target = tmp.resolve("ml-20m.zip");
        var expected = new MovieLensSource.Expectation(Optional.of(sha256(payload)), Optional.empty());
        MovieLensSource.fetch(uri, target, expected, download(1));
        MovieLensSource.fetch(uri, target, expected, download(1));
        assertEquals(1, requests.get());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
