package org.recofilms.platform;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads the operator key from the X-API-Key header for the endpoints marked
 * {@code @RolesAllowed("operator")} (pipeline triggers, promotion, rollback). No header means an
 * anonymous request (401 on those endpoints); a header is checked by {@link
 * OperatorKeyIdentityProvider} (403 when refused). Authentication is not proactive
 * ({@code quarkus.http.auth.proactive=false}): public endpoints never look at the header.
 */
@ApplicationScoped
public class OperatorKeyMechanism implements HttpAuthenticationMechanism {

    /** The header that carries the key. */
    public static final String HEADER = "X-API-Key";

    /** The scheme named in the 401 answer's WWW-Authenticate header. */
    public static final String SCHEME = "ApiKey";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = context.request().getHeader(HEADER);
        if (key == null || key.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new OperatorKeyRequest(key));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, SCHEME));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(OperatorKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER));
    }
}
