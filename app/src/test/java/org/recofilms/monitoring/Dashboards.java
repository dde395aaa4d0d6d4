package org.recofilms.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.recofilms.local.RepositoryRoot;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The queries of the provisioned Grafana dashboards and Prometheus rules, read from the repository
 * files, for the tests that run them: SQL with Grafana's macros replaced, PromQL reduced to the
 * metric names it reads.
 */
public final class Dashboards {

    /** One query of one panel. */
    public record Query(
            String dashboard, String panel, String refId, String datasourceType, String format, String text) {

        public boolean isSql() {
            return datasourceType.contains("postgres");
        }

        public String where() {
            return dashboard + " / " + panel + " / " + refId;
        }
    }

    /** The time range the tests give $__timeFilter: wider than any data. */
    static final String FROM = "'1990-01-01T00:00:00Z'";

    static final String TO = "'2100-01-01T00:00:00Z'";

    private static final Set<String> PROMQL_WORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan",
            "le");

    private Dashboards() {}

    public static Path repoRoot() {
        return RepositoryRoot.path();
    }

    /** Every query of every panel of grafana/dashboards. */
    public static List<Query> queries() {
        ObjectMapper json = new ObjectMapper();
        List<Query> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(repoRoot().resolve("grafana/dashboards"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        JsonNode ds = target.has("datasource") ? target.path("datasource") : panel.path("datasource");
                        String type = ds.path("type").asText();
                        out.add(new Query(
                                dashboard.path("uid").asText(),
                                panel.path("title").asText(),
                                target.path("refId").asText(),
                                type,
                                target.path("format").asText("table"),
                                type.contains("postgres")
                                        ? target.path("rawSql").asText()
                                        : target.path("expr").asText()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The expr of every rule of prometheus/rules. */
    @SuppressWarnings("unchecked")
    public static List<String> ruleExpressions() {
        List<String> out = new ArrayList<>();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Stream<Path> files = Files.list(repoRoot().resolve("prometheus/rules"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                var doc = (java.util.Map<String, Object>) yaml.load(Files.readString(file));
                for (Object group : (List<Object>) doc.get("groups")) {
                    for (Object rule : (List<Object>) ((java.util.Map<String, Object>) group).get("rules")) {
                        out.add(String.valueOf(((java.util.Map<String, Object>) rule).get("expr")));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Grafana's PostgreSQL macros replaced as Grafana expands them, over a range wider than any data:
     * {@code $__timeFilter(x)}, {@code $__timeFrom()}, {@code $__timeTo()}.
     */
    public static String expandMacros(String sql) {
        String out = sql.replace("$__timeFrom()", FROM).replace("$__timeTo()", TO);
        String macro = "$__timeFilter(";
        for (int at = out.indexOf(macro); at >= 0; at = out.indexOf(macro)) {
            int open = at + macro.length() - 1;
            int close = matchingParen(out, open);
            String column = out.substring(open + 1, close);
            out = out.substring(0, at) + column + " BETWEEN " + FROM + " AND " + TO + out.substring(close + 1);
        }
        if (out.contains("$")) {
            throw new AssertionError("a macro or variable the test does not expand: " + out);
        }
        return out;
    }

    /** The metric names a PromQL expression reads (functions, keywords, labels and literals left out). */
    public static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("(?<![\\w:])\\d+(\\.\\d+)?([eE][+-]?\\d+)?[smhdwy]?(?![\\w:])", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(1) != null) {
                continue; // a function
            }
            String word = m.group().trim();
            if (!PROMQL_WORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced parentheses in " + s);
    }
}
