package org.recofilms.platform;

/** Failures as a sentence for logs and answers: never {@code null}, always the class of the cause. */
public final class Failures {

    private Failures() {}

    /**
     * The innermost cause of {@code e} as {@code SimpleName: message}, or the simple name alone when
     * it has no message (Mutiny's and Vert.x's timeouts have none).
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }
}
