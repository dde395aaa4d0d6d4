package org.recofilms.platform;

/** A request parameter or body that the API refuses; answered as 400 with the message. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
