package org.recofilms.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the HTTP layer answers before a resource method runs, in the JSON error format: a URI longer
 * than {@code reco.http.max-uri-length} is a 414, a body announced larger than
 * {@code reco.http.max-body-size} a 413; on the API's own paths a query parameter given twice or
 * empty is a 400, a method the path does not have a 405 with an {@code Allow} header, and OPTIONS
 * a 204 with that header. The API's paths and methods are read from the JAX-RS resource beans.
 */
@ApplicationScoped
public class HttpContract {

    private final RecoConfig config;
    private final ObjectMapper json;
    private List<Route> routes = List.of();

    public HttpContract(RecoConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void install(@Observes Router router) {
        routes = Route.ofResources(resourceClasses());
        // after WorkerRoutes (Integer.MIN_VALUE), ahead of everything else
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle).failureHandler(this::bodyTooLarge);
    }

    /** A chunked body over the limit, found while reading it (no Content-Length told it before). */
    private void bodyTooLarge(RoutingContext ctx) {
        if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
            fail(
                    ctx,
                    413,
                    "payload_too_large",
                    "the request body is larger than " + config.http().maxBodySize() + " bytes",
                    null);
        } else {
            ctx.next();
        }
    }

    private void handle(RoutingContext ctx) {
        RecoConfig.Http limits = config.http();
        String uri = ctx.request().uri();
        if (uri.length() > limits.maxUriLength()) {
            fail(
                    ctx,
                    414,
                    "uri_too_long",
                    "the request URI has " + uri.length() + " characters, at most " + limits.maxUriLength()
                            + " are accepted",
                    null);
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length, limits.maxBodySize())) {
            fail(
                    ctx,
                    413,
                    "payload_too_large",
                    "the request body is larger than " + limits.maxBodySize() + " bytes",
                    null);
            return;
        }
        Set<String> allowed = allowed(ctx.normalizedPath());
        if (allowed == null) {
            ctx.next();
            return;
        }
        HttpMethod method = ctx.request().method();
        String allow = String.join(", ", allowed);
        if (method == HttpMethod.OPTIONS) {
            ctx.response()
                    .setStatusCode(204)
                    .putHeader(HttpHeaders.ALLOW, allow)
                    .end();
            return;
        }
        if (!allowed.contains(method.name())) {
            fail(
                    ctx,
                    405,
                    "method_not_allowed",
                    method.name() + " is not allowed on " + ctx.normalizedPath() + "; allowed: " + allow,
                    allow);
            return;
        }
        String bad = badQuery(ctx.queryParams().names(), ctx.queryParams()::getAll);
        if (bad != null) {
            fail(ctx, 400, "bad_request", bad, null);
            return;
        }
        if (length == null && takesBody(method) && mayHaveBody(ctx.request())) {
            // no length to check beforehand (chunked, or HTTP/2): the body is read here within the limit (the
            // resource then takes it from the context), so that a larger one fails into bodyTooLarge
            BodyHandler.create(false).setBodyLimit(limits.maxBodySize()).handle(ctx);
            return;
        }
        ctx.next();
    }

    /** Why a query is refused (a name given twice, or an empty value), or null when it is fine. */
    static String badQuery(Set<String> names, java.util.function.Function<String, List<String>> values) {
        for (String name : names) {
            List<String> all = values.apply(name);
            if (all.size() > 1) {
                return "query parameter " + abbreviate(name) + " is given " + all.size() + " times; give it once";
            }
            if (all.get(0).isEmpty()) {
                return "query parameter " + abbreviate(name) + " is empty; give a value or leave it out";
            }
        }
        return null;
    }

    /** The methods allowed on {@code path} (HEAD with GET, OPTIONS always), or null when it is none of the API's. */
    Set<String> allowed(String path) {
        return Route.allowed(routes, path);
    }

    /** A method whose body may come in chunks (HTTP/1.1) or frames (HTTP/2) with no length given. */
    private static boolean takesBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    /**
     * Whether a request with no Content-Length brings a body this route should read within the limit: an
     * HTTP/1.1 body in chunks. An HTTP/2 request (also an h2c upgrade, as Java's client sends a POST with no
     * body) is left to Quarkus, whose reader pauses the request and fails on one already read to its end
     * ("Request has already been read"); Quarkus then enforces the limit itself, with its own empty 413.
     */
    private static boolean mayHaveBody(HttpServerRequest request) {
        if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
            return false;
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static boolean tooLarge(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed length itself
        }
    }

    private void fail(RoutingContext ctx, int status, String error, String detail, String allow) {
        String body;
        try {
            body = json.writeValueAsString(new ErrorResponse(error, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (allow != null) {
            response.putHeader(HttpHeaders.ALLOW, allow);
        }
        if (status == 413 || status == 414) {
            // the rest of an oversized request is not read: close the connection after the answer
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }

    private static String abbreviate(String s) {
        return "'" + (s.length() <= 40 ? s : s.substring(0, 40) + "...") + "'";
    }

    private static List<Class<?>> resourceClasses() {
        List<Class<?>> classes = new ArrayList<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                classes.add(bean.getBeanClass());
            }
        }
        return classes;
    }

    /** A resource path template (from the class and method {@code @Path}) and its HTTP methods. */
    record Route(String[] segments, Set<String> methods) {

        /** The route of a path template such as {@code /movies/{movie_id}}. */
        static Route of(String template, Set<String> methods) {
            return new Route(split(template), Set.copyOf(methods));
        }

        static List<Route> ofResources(List<Class<?>> classes) {
            Map<String, Set<String>> byTemplate = new java.util.TreeMap<>();
            for (Class<?> type : classes) {
                String base = type.getAnnotation(Path.class).value();
                for (Method m : type.getMethods()) {
                    String verb = verb(m);
                    if (verb == null) {
                        continue;
                    }
                    Path sub = m.getAnnotation(Path.class);
                    String template = join(base, sub == null ? "" : sub.value());
                    byTemplate.computeIfAbsent(template, t -> new HashSet<>()).add(verb);
                }
            }
            List<Route> routes = new ArrayList<>();
            byTemplate.forEach((template, methods) -> routes.add(of(template, methods)));
            return routes;
        }

        /**
         * JAX-RS's choice among matching templates: the most literal characters first, then the most
         * parameters; the methods of the templates that tie are allowed.
         */
        static Set<String> allowed(List<Route> routes, String path) {
            String[] parts = split(path);
            int bestLiteral = -1;
            int bestParams = -1;
            Set<String> methods = null;
            for (Route r : routes) {
                if (!r.matches(parts)) {
                    continue;
                }
                int literal = r.literalChars();
                int params = r.params();
                if (literal > bestLiteral || (literal == bestLiteral && params > bestParams)) {
                    bestLiteral = literal;
                    bestParams = params;
                    methods = new HashSet<>(r.methods);
                } else if (literal == bestLiteral && params == bestParams) {
                    methods.addAll(r.methods);
                }
            }
            if (methods == null) {
                return null;
            }
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            methods.add("OPTIONS");
            return new TreeSet<>(methods);
        }

        boolean matches(String[] parts) {
            if (parts.length != segments.length) {
                return false;
            }
            for (int i = 0; i < parts.length; i++) {
                if (!isParam(segments[i]) && !segments[i].equals(parts[i])) {
                    return false;
                }
                if (isParam(segments[i]) && parts[i].isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        int literalChars() {
            int n = 0;
            for (String s : segments) {
                n += isParam(s) ? 0 : s.length();
            }
            return n;
        }

        int params() {
            int n = 0;
            for (String s : segments) {
                n += isParam(s) ? 1 : 0;
            }
            return n;
        }

        private static boolean isParam(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }

        private static String verb(Method m) {
            for (var a : m.getAnnotations()) {
                jakarta.ws.rs.HttpMethod http = a.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class);
                if (http != null) {
                    return http.value();
                }
            }
            return null;
        }

        private static String join(String base, String sub) {
            String path = "/" + strip(base) + "/" + strip(sub);
            return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        }

        private static String strip(String s) {
            String out = s;
            while (out.startsWith("/")) {
                out = out.substring(1);
            }
            while (out.endsWith("/")) {
                out = out.substring(0, out.length() - 1);
            }
            return out;
        }

        private static String[] split(String path) {
            String p = strip(path);
            return p.isEmpty() ? new String[0] : p.split("/", -1);
        }
    }
}
