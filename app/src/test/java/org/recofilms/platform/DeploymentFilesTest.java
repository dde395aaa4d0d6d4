package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RepositoryRoot;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files (compose, Dockerfiles, Kafka topics, Grafana and Prometheus provisioning,
 * DVC pointer) parse and agree with each other and with the application's contract. No Docker
 * engine is needed: the files are read, not run. The repository root comes from the system
 * property {@code repoRoot}, else from walking up from the working directory to the folder that
 * holds both pom.xml and docker-compose.yml.
 */
class DeploymentFilesTest {

    private static final List<String> SERVICES = List.of(
            "postgres",
            "kafka",
            "kafka-init",
            "mlflow-db",
            "mlflow",
            "app",
            "api",
            "api-proxy",
            "worker",
            "prometheus",
            "grafana");

    /** The seed's six dashboards rebuilt, then the API and model dashboards (issue 8). */
    private static final List<String> DASHBOARDS = List.of(
            "reco-kpi-yearly",
            "reco-kpi-monthly",
            "reco-data-drift",
            "reco-data-quality",
            "reco-daily",
            "reco-pipeline-health",
            "reco-api",
            "reco-model");

    private static final List<String> ALERTS =
            List.of("RecoDataDrift", "RecoPipelineRunFailed", "RecoNoSuccessfulTraining", "RecoRecommendLatencyHigh");

    private static final List<String> TOPICS =
            List.of("reco.pipeline.requests", "reco.pipeline.events", "reco.ratings", "reco.pipeline.requests.dlq");

    private static final List<String> APP_ENV = List.of(
            "RECO_DB_HOST",
            "RECO_DB_PORT",
            "RECO_DB_NAME",
            "RECO_DB_USER",
            "RECO_DB_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS",
            "RECO_MLFLOW_TRACKING_URI",
            "RECO_OPERATOR_API_KEY",
            "RECO_DATA_DIR");

    /** Compose interpolation: {@code $$}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}. */
    private static final Pattern INTERPOLATION =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    static void readCompose() throws IOException {
        root = findRepoRoot();
        compose = yamlMap(root.resolve("docker-compose.yml"));
        services = map(compose.get("services"), "docker-compose.yml: services");
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeDeclaresEveryServiceWithAnImageOrABuild() {
        for (String name : SERVICES) {
            Map<String, Object> service = service(name);
            assertTrue(
                    service.containsKey("image") || service.containsKey("build"),
                    "service " + name + " has neither image nor build");
        }
    }

    @Test
    void imagesArePinnedToAVersion() {
        for (String name : services.keySet()) {
            Object image = service(name).get("image");
            if (image == null) {
                continue;
            }
            String resolved = interpolate(image.toString());
            int slash = resolved.lastIndexOf('/');
            String tag = resolved.contains(":") && resolved.lastIndexOf(':') > slash
                    ? resolved.substring(resolved.lastIndexOf(':') + 1)
                    : "";
            assertFalse(
                    tag.isEmpty() || tag.equals("latest"), "service " + name + " uses an unpinned image: " + resolved);
        }
        assertTrue(
                interpolate(service("kafka").get("image").toString()).startsWith("apache/kafka:4.1."),
                "kafka must run the apache/kafka 4.1 image");
        assertEquals(
                service("kafka").get("image"),
                service("kafka-init").get("image"),
                "kafka-init must use the broker's image (it needs its kafka-topics.sh)");
        assertTrue(
                interpolate(service("postgres").get("image").toString()).startsWith("postgres:16"),
                "postgres must run postgres:16");
    }

    @Test
    void stateAndServicesThatOthersWaitForHaveHealthchecks() {
        for (String name : List.of("postgres", "kafka", "mlflow-db", "mlflow", "app")) {
            Map<String, Object> healthcheck = map(service(name).get("healthcheck"), name + ".healthcheck");
            Object test = healthcheck.get("test");
            assertNotNull(test, name + ".healthcheck has no test");
            String command = test instanceof List<?> list
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(" "))
                    : test.toString();
            assertFalse(command.isBlank() || command.startsWith("NONE"), name + ".healthcheck test is empty");
        }
        assertTrue(healthCommand("postgres").contains("pg_isready"), "postgres is checked with pg_isready");
        assertTrue(healthCommand("kafka").contains("/opt/kafka/bin/"), "kafka is checked with a Kafka tool");
        assertTrue(healthCommand("mlflow").contains(":5000/health"), "mlflow is checked on its /health");
        assertTrue(healthCommand("app").contains("/q/health/ready"), "the app is checked on /q/health/ready");
    }

    @Test
    void startupOrderWaitsForHealthyDependencies() {
        assertDependsOn("app", "postgres", "service_healthy");
        assertDependsOn("app", "kafka-init", "service_completed_successfully");
        assertDependsOn("app", "mlflow", "service_healthy");
        assertDependsOn("kafka-init", "kafka", "service_healthy");
        assertDependsOn("mlflow", "mlflow-db", "service_healthy");
        assertDependsOn("grafana", "postgres", "service_healthy");
        assertEquals(
                "no",
                String.valueOf(service("kafka-init").get("restart")),
                "kafka-init is a one-shot job and must not restart");
    }

    @Test
    void appGetsItsWholeEnvironment() {
        Map<String, String> env = environment("app");
        for (String name : APP_ENV) {
            assertTrue(env.containsKey(name), "app environment lacks " + name);
        }
        assertEquals("postgres", env.get("RECO_DB_HOST"), "the app must reach the postgres service");
        assertEquals("5432", env.get("RECO_DB_PORT"), "RECO_DB_PORT");
        assertEquals(
                environment("postgres").get("RECO_DB_NAME"),
                env.get("RECO_DB_NAME"),
                "the app must use the database that database/postgres-init creates");
        assertEquals(
                environment("postgres").get("RECO_DB_USER"),
                env.get("RECO_DB_USER"),
                "the app must log in as the role that database/postgres-init creates");
        assertEquals(
                environment("postgres").get("RECO_DB_PASSWORD"),
                env.get("RECO_DB_PASSWORD"),
                "the app and the postgres init must share the default password");
        assertEquals(
                "http://mlflow:5000",
                env.get("RECO_MLFLOW_TRACKING_URI"),
                "by default the app uses the mlflow service");
        assertFalse(env.get("RECO_OPERATOR_API_KEY").isBlank(), "RECO_OPERATOR_API_KEY needs a default");
        assertEquals("/data", env.get("RECO_DATA_DIR"), "RECO_DATA_DIR inside the container");
        assertTrue(volumeTargets("app").contains("/data"), "the app's data directory must be a volume");
    }

    @Test
    void appReachesKafkaOnTheInternalListener() {
        Map<String, String> kafka = environment("kafka");
        String bootstrap = environment("app").get("KAFKA_BOOTSTRAP_SERVERS");
        assertTrue(
                kafka.get("KAFKA_ADVERTISED_LISTENERS").contains("//" + bootstrap),
                "KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is not an advertised listener of kafka");
        assertEquals(
                List.of(bootstrap),
                service("kafka-init").get("command"),
                "kafka-init must create the topics on the broker the app uses");
        assertTrue(healthCommand("kafka").contains(bootstrap), "the kafka healthcheck must probe " + bootstrap);
    }

    @Test
    void kafkaIsASingleNodeKraftBroker() {
        Map<String, String> env = environment("kafka");
        Set<String> roles = Set.of(env.getOrDefault("KAFKA_PROCESS_ROLES", "").split(","));
        assertEquals(Set.of("broker", "controller"), roles, "KAFKA_PROCESS_ROLES");
        String nodeId = env.get("KAFKA_NODE_ID");
        assertNotNull(nodeId, "KAFKA_NODE_ID");
        assertTrue(
                env.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", "").startsWith(nodeId + "@"),
                "the quorum voters must name node " + nodeId);
        String controllerListener = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");
        assertTrue(
                env.getOrDefault("KAFKA_LISTENERS", "").contains(controllerListener + "://"),
                "KAFKA_LISTENERS lacks the controller listener " + controllerListener);
        for (String listener : env.get("KAFKA_LISTENERS").split(",")) {
            String name = listener.substring(0, listener.indexOf("://"));
            assertTrue(
                    env.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").contains(name + ":"),
                    "listener " + name + " has no security protocol");
        }
        assertEquals("1", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), "offsets topic replication on one node");
        assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"), "topics come from kafka/topics.conf only");
        assertTrue(volumeTargets("kafka").contains(env.get("KAFKA_LOG_DIRS")), "the Kafka log dirs must be a volume");
    }

    @Test
    void mlflowServesArtifactsFromItsOwnPostgres() {
        List<String> command = strings(service("mlflow").get("command"), "mlflow.command");
        assertEquals(List.of("mlflow", "server"), command.subList(0, 2), "mlflow must run `mlflow server`");
        String backend = argument(command, "--backend-store-uri");
        assertTrue(
                backend.startsWith("postgresql") && backend.contains("@mlflow-db:5432/"),
                "the backend store must be the mlflow-db PostgreSQL: " + backend);
        assertTrue(command.contains("--serve-artifacts"), "mlflow must proxy artifacts (--serve-artifacts)");
        assertTrue(
                volumeTargets("mlflow").contains(argument(command, "--artifacts-destination")),
                "the artifacts destination must be a volume");
        assertEquals("0.0.0.0", argument(command, "--host"), "mlflow must listen on every interface");
        assertEquals("5000", argument(command, "--port"), "mlflow port");
        assertTrue(
                argument(command, "--allowed-hosts").contains("mlflow:*"),
                "MLflow 3 must accept the Host header mlflow:5000 that the app sends");
        String password = environment("mlflow-db").get("POSTGRES_PASSWORD");
        assertTrue(backend.contains(":" + password + "@"), "the backend URI must use mlflow-db's password");
    }

    @Test
    void servicesPublishTheirPorts() {
        assertPublishes("app", 8080);
        assertPublishes("mlflow", 5000);
        assertPublishes("prometheus", 9090);
        assertPublishes("grafana", 3000);
        assertPublishes("postgres", 5432);
        assertPublishes("kafka", 9092);
    }

    @Test
    void apiAndWorkerRunTheAppImageByRoleUnderTheScaleProfile() {
        assertFalse(service("app").containsKey("profiles"), "the all-in-one app starts by default");
        assertFalse(environment("app").containsKey("RECO_ROLE"), "the app runs every role (reco.role=all)");
        Map<String, String> expected = new LinkedHashMap<>(environment("app"));
        for (String role : List.of("api", "worker")) {
            Map<String, Object> service = service(role);
            assertEquals(List.of("scale"), strings(service.get("profiles"), role + ".profiles"), role + " profile");
            assertEquals(service("app").get("image"), service.get("image"), role + " runs the app's image");
            assertEquals(service("app").get("build"), service.get("build"), role + " builds as the app");
            expected.put("RECO_ROLE", role);
            assertEquals(expected, environment(role), role + " environment: the app's plus RECO_ROLE");
            assertTrue(volumeTargets(role).contains("/data"), role + " keeps its files in a volume");
            assertDependsOn(role, "postgres", "service_healthy");
            assertDependsOn(role, "kafka-init", "service_completed_successfully");
            assertDependsOn(role, "mlflow", "service_healthy");
            // a worker serves /q/health too, so one healthcheck fits every role
            assertEquals(healthCommand("app"), healthCommand(role), role + " healthcheck");
        }
        // replicas cannot share a host port: the api is reached through api-proxy only
        assertEquals(List.of(), strings(service("api").get("ports"), "api.ports"), "api replicas publish no port");
        assertFalse(service("api").containsKey("container_name"), "a fixed container name forbids replicas");
        Object replicas = map(service("api").get("deploy"), "api.deploy").get("replicas");
        assertTrue(replicas instanceof Integer n && n >= 2, "api runs as replicas (deploy.replicas >= 2): " + replicas);
        assertEquals(List.of(), strings(service("worker").get("ports"), "worker.ports"), "workers publish no port");
        assertFalse(service("worker").containsKey("container_name"), "workers scale with --scale worker=N");
    }

    @Test
    void appImageFlavorIsChosenByOneVariable() {
        Map<String, Object> app = service("app");
        Map<String, Object> build = map(app.get("build"), "app.build");
        assertEquals(".", build.get("context"), "the app builds from the repository root");
        String dockerfile = build.get("dockerfile").toString();
        assertEquals(
                "app/src/main/docker/Dockerfile.${RECO_IMAGE_FLAVOR:-native}",
                dockerfile,
                "RECO_IMAGE_FLAVOR selects the Dockerfile, native by default");
        assertEquals("reco-films:${RECO_IMAGE_FLAVOR:-native}", app.get("image"), "app image name");
        for (String flavor : List.of("native", "jvm")) {
            assertTrue(
                    Files.isRegularFile(root.resolve(dockerfile.replace("${RECO_IMAGE_FLAVOR:-native}", flavor))),
                    "no Dockerfile for RECO_IMAGE_FLAVOR=" + flavor);
        }
    }

    @Test
    void everyMountedOrBuiltFileExists() {
        Set<String> declaredVolumes =
                map(compose.get("volumes"), "top-level volumes").keySet();
        for (String name : services.keySet()) {
            for (String volume : volumes(name)) {
                String source = interpolate(volume.split(":")[0]);
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(source.startsWith("./"), name + " mounts a path outside the repository: " + source);
                    assertTrue(Files.exists(root.resolve(source)), name + " mounts a missing path: " + source);
                } else {
                    assertTrue(declaredVolumes.contains(source), name + " uses an undeclared volume: " + source);
                }
            }
            Object build = service(name).get("build");
            if (build != null) {
                Map<String, Object> spec = map(build, name + ".build");
                Path context = root.resolve(interpolate(spec.get("context").toString()));
                assertTrue(Files.isDirectory(context), name + ": missing build context " + context);
                assertTrue(
                        Files.isRegularFile(context.resolve(
                                interpolate(spec.get("dockerfile").toString()))),
                        name + ": missing Dockerfile");
            }
        }
        try (Stream<Path> scripts = Files.list(root.resolve("database/postgres-init"))) {
            assertTrue(
                    scripts.anyMatch(
                            p -> p.toString().endsWith(".sh") || p.toString().endsWith(".sql")),
                    "database/postgres-init has no init script for the postgres service");
        } catch (IOException e) {
            fail("cannot list database/postgres-init: " + e);
        }
    }

    @Test
    void grafanaAndPostgresInitAgreeOnTheReadOnlyRole() throws IOException {
        Map<String, String> postgres = environment("postgres");
        Map<String, String> grafana = environment("grafana");
        String init = Files.readString(root.resolve("database/postgres-init/01-roles-and-databases.sh"));
        assertTrue(
                init.contains("RECO_GRAFANA_DB_USER") && init.contains("default_transaction_read_only = on"),
                "the init script must create the read-only Grafana login");
        assertEquals(
                postgres.get("RECO_GRAFANA_DB_USER"),
                grafana.get("RECO_GRAFANA_DB_USER"),
                "Grafana must log in as the read-only role the postgres init creates");
        assertEquals(
                postgres.get("RECO_GRAFANA_DB_PASSWORD"),
                grafana.get("RECO_GRAFANA_DB_PASSWORD"),
                "Grafana and the postgres init must share the reader's default password");
        assertEquals(postgres.get("RECO_DB_NAME"), grafana.get("RECO_DB_NAME"), "Grafana must read the reco database");
    }

    // ------------------------------------------------------------ api proxy

    /** nginx has had {@code resolve} on upstream servers since 1.27.3: the re-resolution needs it. */
    private static final List<Integer> NGINX_RESOLVE_SINCE = List.of(1, 27, 3);

    @Test
    void apiProxyIsAnOfficialNginxInFrontOfTheReplicas() {
        Map<String, Object> proxy = service("api-proxy");
        assertEquals(List.of("scale"), strings(proxy.get("profiles"), "api-proxy.profiles"), "api-proxy profile");
        String image = interpolate(proxy.get("image").toString());
        assertTrue(image.startsWith("nginx:"), "api-proxy runs the official nginx image: " + image);
        List<Integer> version = Stream.of(
                        image.substring("nginx:".length()).replaceAll("-.*", "").split("\\."))
                .map(Integer::valueOf)
                .collect(Collectors.toCollection(ArrayList::new));
        while (version.size() < 3) {
            version.add(Integer.MAX_VALUE); // "1.29" follows the newest 1.29.x
        }
        assertTrue(
                compareVersions(version, NGINX_RESOLVE_SINCE) >= 0,
                image + " is older than nginx 1.27.3 and lacks `resolve` on upstream servers");
        assertEquals(
                List.of("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro"),
                volumes("api-proxy"),
                "api-proxy mounts nginx/nginx.conf read-only as its whole configuration");
        assertDependsOn("api-proxy", "api", "service_healthy");
        List<String> ports = strings(proxy.get("ports"), "api-proxy.ports");
        assertEquals(1, ports.size(), "api-proxy publishes one port: " + ports);
        assertTrue(ports.get(0).startsWith("${RECO_API_HTTP_PORT:-8081}:"), "the api's host port: " + ports);
        String hostPort = interpolate(ports.get(0)).split(":")[0];
        assertNotEquals(
                interpolate(strings(service("app").get("ports"), "app.ports").get(0))
                        .split(":")[0],
                hostPort,
                "app and api-proxy publish different host ports");
        String containerPort = interpolate(ports.get(0)).split(":")[1];
        assertEquals(
                List.of(containerPort),
                nginxConfig().find("http", "server", "listen").args(),
                "api-proxy publishes the port nginx listens on");
        String health = healthCommand("api-proxy");
        assertTrue(
                health.contains("127.0.0.1:" + containerPort + "/q/health/ready"),
                "api-proxy is checked through itself on an api's readiness: " + health);
        assertEquals("unless-stopped", proxy.get("restart"), "api-proxy restarts");
    }

    @Test
    void nginxBalancesOverTheApiServiceAndReResolvesIt() {
        NginxDirective http = nginxConfig().find("http");
        NginxDirective resolver = http.find("resolver");
        assertEquals("127.0.0.11", resolver.args().get(0), "nginx asks Docker's embedded DNS");
        assertTrue(
                resolver.args().stream().anyMatch(a -> a.matches("valid=\\d+s")),
                "a bounded cache time, so replicas that come and go are seen: " + resolver.args());

        String target = http.find("server", "location", "proxy_pass").args().get(0);
        assertTrue(target.startsWith("http://"), "proxy_pass " + target);
        String upstreamName = target.substring("http://".length());
        NginxDirective upstream = http.children().stream()
                .filter(d -> d.name().equals("upstream") && d.args().equals(List.of(upstreamName)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("proxy_pass names no upstream block: " + target));
        List<NginxDirective> servers = upstream.all("server");
        assertEquals(1, servers.size(), "one server line: compose's DNS name of the api service");
        List<String> server = servers.get(0).args();
        String[] hostAndPort = server.get(0).split(":");
        assertTrue(services.containsKey(hostAndPort[0]), "the upstream resolves a compose service: " + server);
        assertEquals("api", hostAndPort[0], "the upstream is the api service");
        assertTrue(
                healthCommand("api").contains("/dev/tcp/127.0.0.1/" + hostAndPort[1] + " "),
                "the upstream port is the one the api listens on: " + server);
        assertTrue(server.contains("resolve"), "the api name is re-resolved as replicas change: " + server);
        assertFalse(upstream.all("zone").isEmpty(), "`resolve` needs the upstream in a shared memory zone");
        assertTrue(
                Integer.parseInt(upstream.find("keepalive").args().get(0)) > 0,
                "idle connections to the replicas are kept");

        NginxDirective location = http.find("server", "location");
        assertEquals(List.of("1.1"), location.find("proxy_http_version").args(), "keepalive needs HTTP/1.1");
        assertTrue(
                location.all("proxy_set_header").stream().anyMatch(h -> h.args().equals(List.of("Connection", ""))),
                "keepalive needs an empty Connection header towards the upstream");
        for (String timeout : List.of("proxy_connect_timeout", "proxy_read_timeout", "proxy_send_timeout")) {
            assertTrue(location.find(timeout).args().get(0).matches("\\d+s"), timeout + " in seconds");
        }
        List<String> nextUpstream = location.find("proxy_next_upstream").args();
        assertTrue(nextUpstream.containsAll(List.of("error", "timeout")), "retry where a replica fails");
        assertFalse(
                nextUpstream.contains("non_idempotent"),
                "a POST (rating, pipeline trigger) must never be sent to a second replica");
        assertFalse(location.all("proxy_next_upstream_tries").isEmpty(), "retries are bounded");
    }

    @Test
    void nginxAcceptsTheProxyConfig() throws Exception {
        // Debian's nginx (1.22) predates `resolve` on upstream servers and cannot resolve compose
        // names: it checks a copy with the server line pointed at a literal address, everything
        // else unchanged. The test above checks the real server line.
        String config = Files.readString(root.resolve("nginx/nginx.conf"));
        String checked = config.replaceAll("server api:(\\d+) resolve", "server 127.0.0.1:$1");
        assertNotEquals(config, checked, "the server line to stub was not found");
        Path dir = Files.createTempDirectory("reco-nginx");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, checked);
        List<String> command =
                List.of("nginx", "-t", "-q", "-e", "stderr", "-p", dir.toString(), "-c", file.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("nginx is not installed (apt-get install nginx): " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "nginx -t did not finish");
        Files.delete(file);
        Files.delete(dir);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
    }

    private static int compareVersions(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** One nginx directive: its name, its arguments (quotes removed) and the directives of its block. */
    record NginxDirective(String name, List<String> args, List<NginxDirective> children) {

        List<NginxDirective> all(String child) {
            return children.stream().filter(d -> d.name().equals(child)).toList();
        }

        /** The single directive at this path of names; fails unless there is exactly one. */
        NginxDirective find(String... path) {
            NginxDirective current = this;
            for (String step : path) {
                List<NginxDirective> matches = current.all(step);
                assertEquals(1, matches.size(), "nginx.conf: expected one `" + step + "` in " + current.name());
                current = matches.get(0);
            }
            return current;
        }
    }

    private static NginxDirective nginxConfig() {
        try {
            return parseNginx(Files.readString(root.resolve("nginx/nginx.conf")));
        } catch (IOException e) {
            throw new AssertionError("cannot read nginx/nginx.conf: " + e, e);
        }
    }

    /** Parses nginx's syntax: words and quoted strings, ending in ';' or a '{ ... }' block; '#' comments. */
    static NginxDirective parseNginx(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = Pattern.compile("#[^\\n]*|\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([{};])|([^\\s{};\"'#]+)")
                .matcher(text);
        while (m.find()) {
            if (m.group().startsWith("#")) {
                continue;
            }
            String token = m.group(1) != null ? "\"" + m.group(1) : m.group(2) != null ? "\"" + m.group(2) : m.group();
            tokens.add(token);
        }
        int[] at = {0};
        NginxDirective main = new NginxDirective("main", List.of(), parseBlock(tokens, at));
        assertEquals(tokens.size(), at[0], "nginx.conf: unbalanced '}'");
        return main;
    }

    private static List<NginxDirective> parseBlock(List<String> tokens, int[] at) {
        List<NginxDirective> block = new ArrayList<>();
        while (at[0] < tokens.size() && !tokens.get(at[0]).equals("}")) {
            String name = tokens.get(at[0]++);
            List<String> args = new ArrayList<>();
            while (true) {
                assertTrue(at[0] < tokens.size(), "nginx.conf: `" + name + "` does not end");
                String token = tokens.get(at[0]++);
                if (token.equals(";")) {
                    block.add(new NginxDirective(name, List.copyOf(args), List.of()));
                    break;
                }
                if (token.equals("{")) {
                    List<NginxDirective> children = parseBlock(tokens, at);
                    assertTrue(at[0] < tokens.size(), "nginx.conf: block `" + name + "` is not closed");
                    at[0]++;
                    block.add(new NginxDirective(name, List.copyOf(args), children));
                    break;
                }
                args.add(token.startsWith("\"") ? token.substring(1) : token);
            }
        }
        return block;
    }

    // ------------------------------------------------------------ Dockerfiles

    @Test
    void dockerfilesAreMultiStageWithNamedStages() throws IOException {
        for (String flavor : List.of("native", "jvm")) {
            String name = "Dockerfile." + flavor;
            List<String> lines = dockerfileInstructions(root.resolve("app/src/main/docker/" + name));
            List<String> froms =
                    lines.stream().filter(l -> l.startsWith("FROM ")).toList();
            assertTrue(froms.size() >= 2, name + " must be multi-stage");
            Set<String> stages = new HashSet<>();
            for (String from : froms) {
                Matcher m = Pattern.compile("FROM\\s+\\S+\\s+AS\\s+(\\S+)", Pattern.CASE_INSENSITIVE)
                        .matcher(from);
                assertTrue(m.matches(), name + ": unnamed stage: " + from);
                stages.add(m.group(1));
            }
            for (String line : lines) {
                Matcher m = Pattern.compile("--from=(\\S+)").matcher(line);
                if (line.startsWith("COPY") && m.find()) {
                    assertTrue(stages.contains(m.group(1)), name + " copies from an unknown stage: " + line);
                }
            }
            String text = String.join("\n", lines);
            for (String input : List.of("mvnw", ".mvn", "pom.xml", "launcher", "app")) {
                assertTrue(
                        Pattern.compile("(?m)^COPY (--\\S+ )*" + Pattern.quote(input) + " ")
                                .matcher(text)
                                .find(),
                        name + " does not copy " + input + " into the builder");
            }
            assertTrue(
                    text.contains("./mvnw -B package -pl app -am -DskipTests -Dkafka.broker.skip=true"),
                    name + " must build with the project's Maven command");
            List<String> runtime = lines.subList(lines.indexOf(froms.get(froms.size() - 1)), lines.size());
            String user = runtime.stream()
                    .filter(l -> l.startsWith("USER "))
                    .reduce((a, b) -> b)
                    .orElse("USER root");
            assertFalse(user.equals("USER root") || user.equals("USER 0"), name + ": the runtime runs as root");
            assertTrue(runtime.contains("EXPOSE 8080"), name + ": the runtime must expose 8080");
            assertTrue(
                    runtime.stream().anyMatch(l -> l.startsWith("HEALTHCHECK") && l.contains("/q/health/ready")),
                    name + ": the runtime needs a HEALTHCHECK on /q/health/ready");
            assertTrue(
                    runtime.stream().anyMatch(l -> l.startsWith("ENV RECO_DATA_DIR=/data")),
                    name + ": RECO_DATA_DIR must default to /data");
        }
        String nativeFile =
                String.join("\n", dockerfileInstructions(root.resolve("app/src/main/docker/Dockerfile.native")));
        assertTrue(
                nativeFile.contains("FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21 AS"),
                "the native build uses the Mandrel builder image");
        assertTrue(nativeFile.contains("-Dquarkus.native.enabled=true"), "the native build enables native");
        assertTrue(
                nativeFile.contains("FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0 AS"),
                "the native runtime is the Quarkus micro image");
        assertTrue(nativeFile.contains("target/*-runner"), "the native runtime copies the runner");
        String jvmFile = String.join("\n", dockerfileInstructions(root.resolve("app/src/main/docker/Dockerfile.jvm")));
        for (String part : List.of("lib/", "app/", "quarkus/", "*.jar")) {
            assertTrue(jvmFile.contains("target/quarkus-app/" + part), "the JVM runtime copies quarkus-app/" + part);
        }
        assertTrue(jvmFile.contains("openjdk-17-runtime"), "the JVM runtime is a JRE 17 image");
    }

    @Test
    void dockerignoreKeepsTheBuildInputsAndDropsTheRest() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertEquals("*", lines.get(0), ".dockerignore should start from nothing");
        for (String kept : List.of("!mvnw", "!.mvn/", "!pom.xml", "!launcher/", "!app/")) {
            assertTrue(lines.contains(kept), ".dockerignore must let " + kept.substring(1) + " through");
        }
        assertTrue(lines.contains("**/target/"), ".dockerignore must drop build output");
    }

    // ------------------------------------------------------------------ Kafka

    @Test
    void topicsConfListsTheFourTopics() throws IOException {
        Map<String, TopicLine> topics = readTopics();
        assertEquals(Set.copyOf(TOPICS), topics.keySet(), "topics of kafka/topics.conf");
        for (TopicLine topic : topics.values()) {
            assertTrue(topic.partitions() >= 1, topic.name() + ": partitions");
            assertEquals(1, topic.replicationFactor(), topic.name() + ": one broker, replication factor 1");
            assertTrue(topic.configs().containsKey("retention.ms"), topic.name() + " must say its retention");
        }
        assertTrue(topics.get("reco.ratings").partitions() > 1, "ratings are keyed by user and spread over partitions");
    }

    @Test
    void kafkaReadmeDocumentsEveryTopic() throws IOException {
        String readme = Files.readString(root.resolve("kafka/README.md"));
        for (String topic : TOPICS) {
            assertTrue(readme.contains("| `" + topic + "` |"), "kafka/README.md has no table row for " + topic);
        }
        assertTrue(readme.contains("reco-workers"), "kafka/README.md must name the workers' consumer group");
        assertTrue(readme.contains("create-topics.sh"), "kafka/README.md must say how to create the topics");
    }

    @Test
    void createTopicsScriptIsExecutableAndCreatesEveryTopic() throws Exception {
        Path script = root.resolve("kafka/create-topics.sh");
        assertTrue(Files.isRegularFile(script), "kafka/create-topics.sh is missing");
        assertTrue(Files.isExecutable(script), "kafka/create-topics.sh must be executable");
        assertTrue(Files.readAllLines(script).get(0).startsWith("#!"), "kafka/create-topics.sh needs a shebang");
        Assumptions.assumeTrue(Files.isExecutable(Paths.get("/bin/sh")), "no /bin/sh to run the script with");

        // A stand-in kafka-topics.sh records its arguments, one call per line.
        Path work = Files.createTempDirectory("create-topics");
        Path calls = work.resolve("calls");
        Path fakeTool = work.resolve("kafka-topics.sh");
        Files.writeString(fakeTool, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
        fakeTool.toFile().setExecutable(true);

        ProcessBuilder builder =
                new ProcessBuilder("/bin/sh", script.toString(), "broker:19092").redirectErrorStream(true);
        builder.environment().put("KAFKA_TOPICS_BIN", fakeTool.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "create-topics.sh did not finish");
        assertEquals(0, process.exitValue(), "create-topics.sh failed:\n" + output);

        List<String> lines = Files.readAllLines(calls);
        assertTrue(lines.get(0).contains("--list"), "the script must wait for the broker first");
        Map<String, TopicLine> topics = readTopics();
        for (TopicLine topic : topics.values()) {
            String create = lines.stream()
                    .filter(l -> l.contains("--topic " + topic.name() + " "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no --create for " + topic.name()));
            assertTrue(
                    create.startsWith("--bootstrap-server broker:19092 --create --if-not-exists"),
                    "creation must be idempotent and use the given broker: " + create);
            assertTrue(create.contains("--partitions " + topic.partitions() + " "), create);
            assertTrue(create.contains("--replication-factor " + topic.replicationFactor()), create);
            topic.configs()
                    .forEach((key, value) ->
                            assertTrue(create.contains("--config " + key + "=" + value), create + " lacks " + key));
        }
        assertEquals(topics.size() + 1, lines.size(), "one --list, then one call per topic");
    }

    // ---------------------------------------------------------------- Grafana

    @Test
    void grafanaDatasourcesHaveWhatGrafanaNeeds() throws IOException {
        Set<String> uids = datasourceUids();
        assertTrue(uids.containsAll(Set.of("reco-prometheus", "reco-postgres")), "datasource uids: " + uids);
        for (Path file : files("grafana/provisioning/datasources", ".yml", ".yaml")) {
            Map<String, Object> doc = yamlMap(file);
            assertEquals(1, doc.get("apiVersion"), file + ": apiVersion");
            for (Object entry : list(doc.get("datasources"), file + ": datasources")) {
                Map<String, Object> ds = map(entry, file + ": datasource");
                for (String field : List.of("name", "type", "url", "uid")) {
                    assertNotNull(ds.get(field), file + ": datasource without " + field + ": " + ds);
                }
                String host =
                        ds.get("url").toString().replaceFirst("^https?://", "").split("[:/]")[0];
                assertTrue(
                        services.containsKey(host), file + ": " + ds.get("name") + " points at unknown host " + host);
                if (ds.get("type").toString().contains("postgres")) {
                    Map<String, Object> json = map(ds.get("jsonData"), "postgres jsonData");
                    assertEquals("${RECO_DB_NAME}", json.get("database"), "the PostgreSQL datasource reads reco");
                    assertEquals("${RECO_GRAFANA_DB_USER}", ds.get("user"), "the PostgreSQL datasource user");
                    assertNotNull(
                            map(ds.get("secureJsonData"), "postgres secureJsonData")
                                    .get("password"),
                            "the PostgreSQL datasource needs a password");
                }
            }
        }
    }

    @Test
    void grafanaDashboardProviderReadsTheMountedDashboards() throws IOException {
        Set<String> grafanaMounts = new HashSet<>(volumes("grafana"));
        List<Path> providerFiles = files("grafana/provisioning/dashboards", ".yml", ".yaml");
        assertFalse(providerFiles.isEmpty(), "no dashboard provider under grafana/provisioning/dashboards");
        for (Path file : providerFiles) {
            Map<String, Object> doc = yamlMap(file);
            assertEquals(1, doc.get("apiVersion"), file + ": apiVersion");
            for (Object entry : list(doc.get("providers"), file + ": providers")) {
                Map<String, Object> provider = map(entry, file + ": provider");
                assertNotNull(provider.get("name"), file + ": provider without a name");
                assertEquals("file", provider.get("type"), file + ": provider type");
                Object path = map(provider.get("options"), file + ": provider options")
                        .get("path");
                assertNotNull(path, file + ": provider without options.path");
                assertTrue(
                        grafanaMounts.contains("./grafana/dashboards:" + path + ":ro"),
                        "options.path " + path + " is not where compose mounts ./grafana/dashboards");
            }
        }
        assertTrue(
                grafanaMounts.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"),
                "compose must mount ./grafana/provisioning where Grafana reads it");
    }

    @Test
    void everyDashboardHasTitleUidPanelsAndSchemaVersion() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> datasourceUids = datasourceUids();
        Set<String> dashboardUids = new HashSet<>();
        List<Path> dashboards = files("grafana/dashboards", ".json");
        assertFalse(dashboards.isEmpty(), "grafana/dashboards holds no dashboard");
        for (Path file : dashboards) {
            JsonNode dashboard = json.readTree(file.toFile());
            assertTrue(dashboard.path("title").isTextual(), file + ": title");
            assertTrue(dashboard.path("uid").isTextual(), file + ": uid");
            assertTrue(
                    dashboard.path("uid").asText().length() <= 40, file + ": Grafana uids have at most 40 characters");
            assertTrue(dashboardUids.add(dashboard.path("uid").asText()), file + ": duplicate uid");
            assertTrue(dashboard.path("schemaVersion").isInt(), file + ": schemaVersion");
            assertTrue(
                    dashboard.path("panels").isArray()
                            && dashboard.path("panels").size() > 0,
                    file + ": panels");
            for (JsonNode panel : dashboard.path("panels")) {
                assertTrue(
                        panel.path("title").isTextual() && panel.path("type").isTextual(),
                        file + ": a panel needs a title and a type");
                for (JsonNode ref : panel.findValues("datasource")) {
                    if (ref.has("uid")) {
                        assertTrue(
                                datasourceUids.contains(ref.path("uid").asText()),
                                file + ": panel " + panel.path("title").asText() + " uses unknown datasource "
                                        + ref.path("uid").asText());
                    }
                }
            }
        }
    }

    @Test
    void theMonitoringDashboardsAreProvisioned() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> uids = new HashSet<>();
        for (Path file : files("grafana/dashboards", ".json")) {
            uids.add(json.readTree(file.toFile()).path("uid").asText());
        }
        assertTrue(uids.containsAll(DASHBOARDS), "dashboards " + uids + " must include " + DASHBOARDS);
    }

    @Test
    void everyPanelHasAPlaceAndQueriesAKnownDatasourceWithWhatItNeeds() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> typeByUid = datasourceTypes();
        for (Path file : files("grafana/dashboards", ".json")) {
            JsonNode dashboard = json.readTree(file.toFile());
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                String where =
                        file.getFileName() + ": panel " + panel.path("title").asText();
                assertTrue(
                        panel.path("id").isInt() && ids.add(panel.path("id").asInt()),
                        where + ": id missing or repeated");
                JsonNode grid = panel.path("gridPos");
                assertTrue(grid.path("w").asInt() > 0 && grid.path("h").asInt() > 0, where + ": gridPos w and h");
                assertTrue(
                        grid.path("x").asInt() + grid.path("w").asInt() <= 24, where + ": wider than the 24 columns");
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                JsonNode targets = panel.path("targets");
                assertTrue(targets.isArray() && targets.size() > 0, where + ": no query");
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : targets) {
                    assertTrue(refIds.add(target.path("refId").asText()), where + ": refId missing or repeated");
                    JsonNode ref = target.has("datasource") ? target.path("datasource") : panel.path("datasource");
                    String type = typeByUid.get(ref.path("uid").asText());
                    assertNotNull(type, where + ": unknown datasource " + ref);
                    assertEquals(type, ref.path("type").asText(), where + ": datasource type");
                    if (type.contains("postgres")) {
                        assertFalse(target.path("rawSql").asText().isBlank(), where + ": no rawSql");
                        assertTrue(target.path("rawQuery").asBoolean(), where + ": SQL panels are raw queries");
                        assertTrue(
                                Set.of("table", "time_series")
                                        .contains(target.path("format").asText()),
                                where + ": format " + target.path("format"));
                    } else {
                        assertFalse(target.path("expr").asText().isBlank(), where + ": no PromQL expr");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------- Prometheus

    @Test
    void prometheusScrapesTheAppMetrics() throws IOException {
        Map<String, Object> config = yamlMap(root.resolve("prometheus/prometheus.yml"));
        assertNotNull(map(config.get("global"), "global").get("scrape_interval"), "global.scrape_interval");
        Map<String, Object> job = list(config.get("scrape_configs"), "scrape_configs").stream()
                .map(o -> map(o, "scrape config"))
                .filter(c -> "reco-films".equals(c.get("job_name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job reco-films"));
        assertEquals("/q/metrics", job.get("metrics_path"), "the app's metrics path");
        List<Map<String, Object>> discovery = list(job.get("dns_sd_configs"), "dns_sd_configs").stream()
                .map(c -> map(c, "dns_sd config"))
                .toList();
        List<String> names = discovery.stream()
                .flatMap(c -> strings(c.get("names"), "names").stream())
                .toList();
        assertTrue(
                names.containsAll(List.of("app", "api", "worker")),
                "reco-films job finds every app, api and worker replica by DNS: " + names);
        assertTrue(
                discovery.stream().allMatch(c -> Integer.valueOf(8080).equals(c.get("port"))), "the app's port 8080");
        for (String service : names) {
            assertTrue(services.containsKey(service), "prometheus scrapes a service compose does not have: " + service);
        }
        assertTrue(
                volumes("prometheus").contains("./prometheus:/etc/prometheus:ro"),
                "compose must mount ./prometheus at /etc/prometheus");
    }

    @Test
    void prometheusRuleFilesExistAndParse() throws IOException {
        Map<String, Object> config = yamlMap(root.resolve("prometheus/prometheus.yml"));
        List<String> patterns = strings(config.get("rule_files"), "rule_files");
        assertFalse(patterns.isEmpty(), "prometheus.yml names no rule files");
        for (String pattern : patterns) {
            assertFalse(pattern.startsWith("/"), "rule file patterns are relative to prometheus.yml: " + pattern);
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Path dir = root.resolve("prometheus");
            List<Path> matched;
            try (Stream<Path> all = Files.walk(dir)) {
                matched = all.filter(p -> matcher.matches(dir.relativize(p))).toList();
            }
            assertFalse(matched.isEmpty(), "rule_files pattern " + pattern + " matches no file");
            for (Path file : matched) {
                for (Object group : list(yamlMap(file).get("groups"), file + ": groups")) {
                    Map<String, Object> g = map(group, file + ": group");
                    assertNotNull(g.get("name"), file + ": a rule group needs a name");
                    for (Object rule : list(g.get("rules"), file + ": rules")) {
                        Map<String, Object> r = map(rule, file + ": rule");
                        assertNotNull(r.get("expr"), file + ": a rule needs an expr");
                        assertTrue(r.containsKey("alert") || r.containsKey("record"), file + ": alert or record");
                    }
                }
            }
        }
    }

    @Test
    void promtoolAcceptsTheConfigTheRulesAndTheirUnitTests() throws Exception {
        Path dir = root.resolve("prometheus");
        promtool(dir, "check", "config", "prometheus.yml");
        List<String> rules = new ArrayList<>(List.of("check", "rules"));
        files("prometheus/rules", ".yml")
                .forEach(f -> rules.add(dir.relativize(f).toString()));
        promtool(dir, rules.toArray(String[]::new));
        List<String> tests = new ArrayList<>(List.of("test", "rules"));
        files("prometheus/tests", ".yml")
                .forEach(f -> tests.add(dir.relativize(f).toString()));
        assertTrue(tests.size() > 2, "prometheus/tests holds no rule unit test");
        promtool(dir, tests.toArray(String[]::new));
    }

    @Test
    void theAlertsOfTheIssueAreDefinedWithASeverityAndASummary() throws IOException {
        Set<String> alerts = new HashSet<>();
        for (Path file : files("prometheus/rules", ".yml")) {
            for (Object group : list(yamlMap(file).get("groups"), file + ": groups")) {
                for (Object rule : list(map(group, "group").get("rules"), file + ": rules")) {
                    Map<String, Object> r = map(rule, file + ": rule");
                    if (r.containsKey("alert")) {
                        alerts.add(r.get("alert").toString());
                        assertNotNull(map(r.get("labels"), r.get("alert") + ": labels")
                                .get("severity"));
                        assertNotNull(map(r.get("annotations"), r.get("alert") + ": annotations")
                                .get("summary"));
                    }
                }
            }
        }
        assertTrue(alerts.containsAll(ALERTS), "alerts " + alerts + " must include " + ALERTS);
    }

    /** Runs promtool (Debian package prometheus) in {@code dir}; fails with its output unless it succeeds. */
    private static void promtool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed (apt-get install prometheus): " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool " + args[0] + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
    }

    // -------------------------------------------------------------------- DVC

    @Test
    void dataIsAPointerToADvcTrackedDirectory() throws IOException {
        Map<String, Object> pointer = yamlMap(root.resolve("data.dvc"));
        Map<String, Object> out =
                map(list(pointer.get("outs"), "data.dvc: outs").get(0), "data.dvc: outs[0]");
        assertEquals("data/raw", out.get("path"), "data.dvc must track the raw dataset directory data/raw");
        assertTrue(
                String.valueOf(out.get("md5")).matches("[0-9a-f]{32}\\.dir"),
                "a directory's md5 ends in .dir: " + out.get("md5"));
        String config = Files.readString(root.resolve(".dvc/config"));
        assertTrue(config.contains("remote = storage"), ".dvc/config must make storage the default remote");
        assertTrue(config.contains("['remote \"storage\"']"), ".dvc/config must define the remote storage");
        assertTrue(
                Files.readString(root.resolve(".dvc/.gitignore")).contains("/cache"),
                ".dvc/.gitignore must keep DVC's cache out of git");
    }

    // ---------------------------------------------------------------- helpers

    private record TopicLine(String name, int partitions, int replicationFactor, Map<String, String> configs) {}

    private static Map<String, TopicLine> readTopics() throws IOException {
        Map<String, TopicLine> topics = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(root.resolve("kafka/topics.conf"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] fields =
                    (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (fields.length == 1 && fields[0].isEmpty()) {
                continue;
            }
            String where = "kafka/topics.conf:" + (i + 1);
            assertTrue(fields.length >= 3, where + ": want <topic> <partitions> <replication-factor>");
            Map<String, String> configs = new LinkedHashMap<>();
            for (int f = 3; f < fields.length; f++) {
                String[] kv = fields[f].split("=", 2);
                assertTrue(kv.length == 2 && !kv[0].isEmpty() && !kv[1].isEmpty(), where + ": bad config " + fields[f]);
                configs.put(kv[0], kv[1]);
            }
            TopicLine topic;
            try {
                topic = new TopicLine(fields[0], Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), configs);
            } catch (NumberFormatException e) {
                throw new AssertionError(where + ": partitions and replication factor must be numbers", e);
            }
            assertTrue(topics.put(topic.name(), topic) == null, where + ": topic listed twice");
        }
        return topics;
    }

    private static Map<String, String> datasourceTypes() throws IOException {
        Map<String, String> types = new HashMap<>();
        for (Path file : files("grafana/provisioning/datasources", ".yml", ".yaml")) {
            for (Object entry : list(yamlMap(file).get("datasources"), file + ": datasources")) {
                Map<String, Object> ds = map(entry, "datasource");
                types.put(String.valueOf(ds.get("uid")), String.valueOf(ds.get("type")));
            }
        }
        return types;
    }

    private static Set<String> datasourceUids() throws IOException {
        Set<String> uids = new HashSet<>();
        for (Path file : files("grafana/provisioning/datasources", ".yml", ".yaml")) {
            for (Object entry : list(yamlMap(file).get("datasources"), file + ": datasources")) {
                uids.add(String.valueOf(map(entry, "datasource").get("uid")));
            }
        }
        return uids;
    }

    private static List<String> dockerfileInstructions(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                instructions.add(
                        current.append(line).toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static void assertDependsOn(String service, String dependency, String condition) {
        Map<String, Object> dependsOn = map(service(service).get("depends_on"), service + ".depends_on");
        Map<String, Object> entry = map(dependsOn.get(dependency), service + " depends_on " + dependency);
        assertEquals(condition, entry.get("condition"), service + " must wait for " + dependency);
    }

    private static void assertPublishes(String service, int containerPort) {
        List<String> ports = strings(service(service).get("ports"), service + ".ports");
        assertTrue(
                ports.stream().map(DeploymentFilesTest::interpolate).anyMatch(p -> p.endsWith(":" + containerPort)),
                service + " does not publish port " + containerPort + ": " + ports);
    }

    private static String healthCommand(String service) {
        Object test = map(service(service).get("healthcheck"), service + ".healthcheck")
                .get("test");
        return test instanceof List<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(" "))
                : String.valueOf(test);
    }

    private static String argument(List<String> command, String flag) {
        int index = command.indexOf(flag);
        assertTrue(index >= 0 && index + 1 < command.size(), "missing " + flag + " in " + command);
        return interpolate(command.get(index + 1));
    }

    private static Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(k.toString(), v == null ? "" : interpolate(v.toString())));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String[] kv = item.toString().split("=", 2);
                result.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
            }
        }
        return result;
    }

    private static List<String> volumes(String service) {
        Object volumes = service(service).get("volumes");
        return volumes == null ? List.of() : strings(volumes, service + ".volumes");
    }

    private static Set<String> volumeTargets(String service) {
        return volumes(service).stream().map(v -> v.split(":")[1]).collect(Collectors.toSet());
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name), "service " + name);
    }

    /** Resolves compose interpolation with each variable's default, as if the environment set none. */
    static String interpolate(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : m.group(3) == null ? "" : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Path> files(String dir, String... suffixes) throws IOException {
        Path folder = root.resolve(dir);
        assertTrue(Files.isDirectory(folder), "missing folder " + dir);
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
                    .sorted()
                    .toList();
        }
    }

    private static Map<String, Object> yamlMap(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + root.relativize(file));
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Object doc;
        try {
            doc = yaml.load(Files.readString(file));
        } catch (RuntimeException e) {
            throw new AssertionError(root.relativize(file) + " is not valid YAML: " + e.getMessage(), e);
        }
        return map(doc, root.relativize(file).toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertTrue(value instanceof Map, what + " should be a mapping, is " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) {
        assertTrue(value instanceof List, what + " should be a list, is " + value);
        return (List<Object>) value;
    }

    private static List<String> strings(Object value, String what) {
        return list(value, what).stream().map(String::valueOf).toList();
    }

    private static Path findRepoRoot() {
        return RepositoryRoot.path();
    }
}
