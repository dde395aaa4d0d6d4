package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The methods HttpContract allows on a path (JAX-RS's choice of template) and its query checks. */
class HttpContractTest {

    // templates as HttpContract reads them from the resources' @Path (resource classes here would be
    // served by the app under test)
    private final List<HttpContract.Route> routes = List.of(
            HttpContract.Route.of("/movies/popular", Set.of("GET")),
            HttpContract.Route.of("/movies/{movie_id}", Set.of("GET")),
            HttpContract.Route.of("/users/{user_id}/ratings", Set.of("POST")));

    @Test
    void theMostLiteralTemplateWinsAsInJaxRs() {
        assertEquals(Set.of("GET", "HEAD", "OPTIONS"), HttpContract.Route.allowed(routes, "/movies/popular"));
        assertEquals(Set.of("GET", "HEAD", "OPTIONS"), HttpContract.Route.allowed(routes, "/movies/42"));
        assertEquals(Set.of("OPTIONS", "POST"), HttpContract.Route.allowed(routes, "/users/7/ratings"));
    }

    @Test
    void pathsOfNoResourceAreLeftAlone() {
        assertNull(HttpContract.Route.allowed(routes, "/q/openapi"));
        assertNull(HttpContract.Route.allowed(routes, "/movies"));
        assertNull(HttpContract.Route.allowed(routes, "/users//ratings"));
        assertNull(HttpContract.Route.allowed(routes, "/movies/1/similar"));
    }

    @Test
    void aRepeatedOrEmptyQueryParameterIsRefused() {
        Map<String, List<String>> once = Map.of("user_id", List.of("1"), "top_n", List.of("5"));
        assertNull(HttpContract.badQuery(once.keySet(), once::get));
        Map<String, List<String>> twice = Map.of("user_id", List.of("1", "2"));
        assertTrue(HttpContract.badQuery(twice.keySet(), twice::get).contains("given 2 times"));
        Map<String, List<String>> empty = Map.of("top_n", List.of(""));
        assertTrue(HttpContract.badQuery(empty.keySet(), empty::get).contains("empty"));
    }
}
