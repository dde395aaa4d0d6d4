package org.recofilms.monitoring;

/** A monitoring run that could not complete; nothing of it was written. */
public class MonitoringException extends RuntimeException {

    public MonitoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
