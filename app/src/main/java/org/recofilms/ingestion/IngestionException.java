package org.recofilms.ingestion;

/** An ingestion that cannot go on; the message says why in words an operator can act on. */
public class IngestionException extends RuntimeException {

    public IngestionException(String message) {
        super(message);
    }

    public IngestionException(String message, Throwable cause) {
        super(message, cause);
    }
}
