package org.recofilms.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards operator endpoints (pipeline triggers, promotion, rollback) with the API key of
 * reco.security.operator-api-key, sent in the X-API-Key header: none sent is 401, a wrong one 403,
 * and with no key configured the endpoints stay closed (403).
 */
@ApplicationScoped
public class OperatorAuth {

    /** The header that carries the key. */
    public static final String HEADER = "X-API-Key";

    private final RecoConfig config;

    public OperatorAuth(RecoConfig config) {
        this.config = config;
    }

    /** Returns the operator's name for the records ("operator"), or throws 401/403. */
    public String require(String presented) {
        if (presented == null || presented.isBlank()) {
            throw new NotAuthorizedException(
                    "operator endpoint: send the operator key in the " + HEADER + " header", "ApiKey");
        }
        String expected =
                config.security().operatorApiKey().filter(k -> !k.isBlank()).orElse(null);
        if (expected == null) {
            throw new ForbiddenException(
                    "operator endpoints are closed: no reco.security.operator-api-key is configured");
        }
        boolean same = MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
        if (!same) {
            throw new ForbiddenException("wrong operator key");
        }
        return "operator";
    }
}
