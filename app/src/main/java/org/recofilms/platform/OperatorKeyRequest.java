package org.recofilms.platform;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The operator key a request presented in the X-API-Key header, checked by {@link OperatorKeyIdentityProvider}. */
public final class OperatorKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public OperatorKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
