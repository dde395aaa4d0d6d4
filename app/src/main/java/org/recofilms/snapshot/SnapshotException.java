package org.recofilms.snapshot;

/**
 * A snapshot or artifact file that cannot be written or read: missing, empty, corrupt, of the wrong schema,
 * or a failed export. The message names the file and says what is wrong in words an operator can act on.
 */
public class SnapshotException extends RuntimeException {

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
