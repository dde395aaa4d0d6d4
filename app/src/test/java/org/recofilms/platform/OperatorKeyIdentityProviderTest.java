package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key check alone: the right key, a wrong one, and no key configured (closed, even when blank). */
class OperatorKeyIdentityProviderTest {

    @Test
    void theConfiguredKeyGrantsTheOperatorRole() {
        SecurityIdentity identity = OperatorKeyIdentityProvider.identify(Optional.of("s3cret"), "s3cret");
        assertEquals("operator", identity.getPrincipal().getName());
        assertTrue(identity.hasRole("operator"));
        assertFalse(identity.isAnonymous());
    }

    @Test
    void aWrongKeyIsRefused() {
        for (String wrong : new String[] {"s3cre", "s3cret ", "S3CRET", "s3cret-and-more"}) {
            AuthenticationFailedException e = assertThrows(
                    AuthenticationFailedException.class,
                    () -> OperatorKeyIdentityProvider.identify(Optional.of("s3cret"), wrong));
            assertEquals("wrong operator key", e.getMessage());
        }
    }

    @Test
    void withoutAConfiguredKeyEveryKeyIsRefused() {
        for (Optional<String> configured :
                java.util.List.of(Optional.<String>empty(), Optional.of(""), Optional.of("  "))) {
            AuthenticationFailedException e = assertThrows(
                    AuthenticationFailedException.class, () -> OperatorKeyIdentityProvider.identify(configured, "  "));
            assertTrue(e.getMessage().startsWith("operator endpoints are closed"), e.getMessage());
        }
    }
}
