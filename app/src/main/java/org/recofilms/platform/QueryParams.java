package org.recofilms.platform;

/**
 * Integer request parameters read from their raw text, so that a missing, non-numeric or
 * out-of-range value is a 400 that names the parameter (JAX-RS's own conversion answers 404).
 * Only ASCII digits (after an optional minus sign) are a number: {@link Long#parseLong} would also
 * take a plus sign and the digits of other scripts ("\u0661" is 1 to it).
 */
public final class QueryParams {

    private QueryParams() {}

    /** {@code raw} as an int in [min, max]; a 400 when absent. */
    public static int required(String name, String raw, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            throw new BadRequestException(name + " is required (an integer from " + min + " to " + max + ")");
        }
        return parse(name, raw, min, max);
    }

    /** {@code raw} as an int in [min, max], or {@code defaultValue} when absent (an empty value is not absent). */
    public static int optional(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null) {
            return defaultValue;
        }
        return parse(name, raw, min, max);
    }

    private static int parse(String name, String raw, int min, int max) {
        if (!isInteger(raw)) {
            throw new BadRequestException(
                    name + " must be an integer from " + min + " to " + max + ", got '" + abbreviate(raw) + "'");
        }
        // more than 18 digits is out of any int range: no need to parse it
        int digits = raw.length() - (raw.charAt(0) == '-' ? 1 : 0);
        long value = digits > 18 ? (raw.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(raw);
        if (value < min || value > max) {
            if (digits > 18) {
                throw new BadRequestException(
                        name + " must be from " + min + " to " + max + ", got '" + abbreviate(raw) + "'");
            }
            throw new BadRequestException(name + " must be from " + min + " to " + max + ", got " + value);
        }
        return (int) value;
    }

    /** An optional '-' then one or more ASCII digits, nothing else. */
    static boolean isInteger(String raw) {
        int start = raw.startsWith("-") ? 1 : 0;
        if (raw.length() == start) {
            return false;
        }
        for (int i = start; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
