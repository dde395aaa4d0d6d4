package org.recofilms.platform;

/**
 * Integer request parameters read from their raw text, so that a missing, non-numeric or
 * out-of-range value is a 400 that names the parameter (JAX-RS's own conversion answers 404).
 */
public final class QueryParams {

    private QueryParams() {}

    /** {@code raw} as an int in [min, max]; a 400 when absent. */
    public static int required(String name, String raw, int min, int max) {
        if (raw == null || raw.isBlank()) {
            throw new BadRequestException(name + " is required (an integer from " + min + " to " + max + ")");
        }
        return parse(name, raw, min, max);
    }

    /** {@code raw} as an int in [min, max], or {@code defaultValue} when absent. */
    public static int optional(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        return parse(name, raw, min, max);
    }

    private static int parse(String name, String raw, int min, int max) {
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(
                    name + " must be an integer from " + min + " to " + max + ", got '" + abbreviate(raw) + "'");
        }
        if (value < min || value > max) {
            throw new BadRequestException(name + " must be from " + min + " to " + max + ", got " + value);
        }
        return (int) value;
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
