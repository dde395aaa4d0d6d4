package org.recofilms.registry;

/** A registry call that failed; the message names the call and the cause. */
public class RegistryException extends RuntimeException {

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
