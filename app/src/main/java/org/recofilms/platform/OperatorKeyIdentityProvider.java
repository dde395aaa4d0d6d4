package org.recofilms.platform;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks a presented operator key against reco.security.operator-api-key: the right key is the
 * identity "operator" with the role "operator"; a wrong one, or any key while none is configured
 * (the operator endpoints are then closed), fails authentication with the reason, which
 * ErrorMappers answers as 403.
 */
@ApplicationScoped
public class OperatorKeyIdentityProvider implements IdentityProvider<OperatorKeyRequest> {

    /** The role, and the identity's name in the records ("rest:operator"). */
    public static final String ROLE = "operator";

    private final RecoConfig config;

    public OperatorKeyIdentityProvider(RecoConfig config) {
        this.config = config;
    }

    @Override
    public Class<OperatorKeyRequest> getRequestType() {
        return OperatorKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(OperatorKeyRequest request, AuthenticationRequestContext context) {
        return Uni.createFrom().item(() -> identify(config.security().operatorApiKey(), request.key()));
    }

    static SecurityIdentity identify(Optional<String> configured, String presented) {
        String expected = configured.filter(k -> !k.isBlank()).orElse(null);
        if (expected == null) {
            throw new AuthenticationFailedException(
                    "operator endpoints are closed: no reco.security.operator-api-key is configured");
        }
        boolean same = MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
        if (!same) {
            throw new AuthenticationFailedException("wrong operator key");
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(ROLE))
                .addRole(ROLE)
                .build();
    }
}
