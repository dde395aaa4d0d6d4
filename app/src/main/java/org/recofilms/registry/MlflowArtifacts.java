package org.recofilms.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run artifacts through the MLflow server's artifact proxy ({@code mlflow server --serve-artifacts}):
 * plain HTTP, so the client needs no Python (mlflow-client's own artifact calls shell out to the
 * mlflow CLI). Files are streamed both ways, never held whole in memory.
 */
final class MlflowArtifacts {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String SCHEME = "mlflow-artifacts:";

    private final String trackingUri;
    private final HttpClient http;
    private final MlflowCalls calls;
    private final Duration listTimeout;
    private final Duration transferTimeout;
    private final ObjectMapper json = new ObjectMapper();

    MlflowArtifacts(
            String trackingUri, HttpClient http, MlflowCalls calls, Duration listTimeout, Duration transferTimeout) {
        this.trackingUri = trackingUri;
        this.http = http;
        this.calls = calls;
        this.listTimeout = listTimeout;
        this.transferTimeout = transferTimeout;
    }

    /**
     * The proxy-relative root of a run's artifacts ({@code <experiment id>/<run id>/artifacts}) from
     * the run's artifact URI. Only proxied URIs can be reached without the server's storage
     * credentials, so anything else is refused with the remedy in the message.
     */
    static String proxyRoot(String artifactUri) {
        String rest;
        if (artifactUri.startsWith(SCHEME)) {
            rest = artifactUri.substring(SCHEME.length());
            if (rest.startsWith("//")) {
                // mlflow-artifacts://host:port/<path>: the host is the tracking server anyway.
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
        } else if ((artifactUri.startsWith("http://") || artifactUri.startsWith("https://"))
                && artifactUri.contains(PROXY + "/")) {
            rest = artifactUri.substring(artifactUri.indexOf(PROXY + "/") + PROXY.length());
        } else {
            throw new RegistryException("run artifact URI " + artifactUri
                    + " is not served through MLflow's artifact proxy; start the server with --serve-artifacts");
        }
        rest = rest.replaceAll("^/+", "").replaceAll("/+$", "");
        if (rest.isEmpty()) {
            throw new RegistryException("run artifact URI " + artifactUri + " has no path");
        }
        return rest;
    }

    /** Refuses paths that could escape the run's folder or mean different things on the server. */
    static String checkPath(String artifactPath) {
        if (artifactPath == null
                || artifactPath.isBlank()
                || artifactPath.startsWith("/")
                || artifactPath.contains("\\")
                || artifactPath.endsWith("/")) {
            throw new RegistryException("invalid artifact path: " + artifactPath);
        }
        for (String segment : artifactPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new RegistryException("invalid artifact path: " + artifactPath);
            }
        }
        return artifactPath;
    }

    void upload(String root, String artifactPath, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RegistryException("artifact file " + file + " does not exist");
        }
        URI uri = fileUri(root, artifactPath);
        calls.call("upload of artifact " + artifactPath, () -> {
            // A fresh publisher per attempt: ofFile re-opens the file, so a retry re-sends it whole.
            HttpRequest put = HttpRequest.newBuilder(uri)
                    .timeout(transferTimeout)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
            HttpResponse<String> response = MlflowCalls.send(http, put, HttpResponse.BodyHandlers.ofString());
            MlflowCalls.check(response.statusCode(), response.body());
            return null;
        });
    }

    /** Every file below {@code root}, relative to it, walking directories; unsorted. */
    List<String> list(String root) {
        List<String> files = new ArrayList<>();
        walk(root, "", files);
        return files;
    }

    private void walk(String root, String relative, List<String> files) {
        String dir = relative.isEmpty() ? root : root + "/" + relative;
        URI uri = URI.create(trackingUri + PROXY + "?path=" + URLEncoder.encode(dir, StandardCharsets.UTF_8));
        JsonNode listing = calls.call("listing of artifacts in " + dir, () -> {
            HttpRequest get =
                    HttpRequest.newBuilder(uri).timeout(listTimeout).GET().build();
            HttpResponse<String> response = MlflowCalls.send(http, get, HttpResponse.BodyHandlers.ofString());
            MlflowCalls.check(response.statusCode(), response.body());
            return json.readTree(response.body());
        });
        // The proxy answers {} (no "files") for a folder that does not exist yet.
        for (JsonNode entry : listing.path("files")) {
            String path = entry.path("path").asText();
            String name = path.substring(path.lastIndexOf('/') + 1);
            String child = relative.isEmpty() ? name : relative + "/" + name;
            if (entry.path("is_dir").asBoolean(false)) {
                walk(root, child, files);
            } else {
                files.add(child);
            }
        }
    }

    /**
     * Streams the artifact into a temporary file next to {@code target} and moves it into place only
     * once complete, so a failed download never leaves a truncated file where a good one was.
     */
    void download(String root, String artifactPath, Path target) {
        URI uri = fileUri(root, artifactPath);
        Path parent = target.toAbsolutePath().getParent();
        calls.call("download of artifact " + artifactPath, () -> {
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
            try {
                HttpRequest get = HttpRequest.newBuilder(uri)
                        .timeout(transferTimeout)
                        .GET()
                        .build();
                HttpResponse<Path> response = MlflowCalls.send(http, get, HttpResponse.BodyHandlers.ofFile(partial));
                if (response.statusCode() != 200) {
                    MlflowCalls.check(response.statusCode(), head(partial));
                }
                try {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            } finally {
                Files.deleteIfExists(partial);
            }
        });
    }

    private URI fileUri(String root, String artifactPath) {
        StringBuilder url = new StringBuilder(trackingUri).append(PROXY);
        for (String segment : (root + "/" + checkPath(artifactPath)).split("/")) {
            url.append('/')
                    .append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(url.toString());
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(1000), StandardCharsets.UTF_8);
        }
    }
}
