package org.recofilms.ingestion;

import java.nio.charset.StandardCharsets;

/**
 * Splits a line of a numbers-only CSV file (ratings, genome scores) on commas and parses its fields
 * from bytes, allocating nothing on the common path. A field that is not a plain number makes the
 * parse methods throw {@link NumberFormatException}, which the loader turns into a reject.
 */
final class NumericLine {

    private final int[] starts = new int[16];
    private final int[] ends = new int[16];
    private byte[] line;
    private int fields;
    private boolean quoted;

    /** Splits {@code buffer[start, end)}; returns the number of fields. */
    int split(byte[] buffer, int start, int end) {
        line = buffer;
        fields = 0;
        quoted = false;
        int fieldStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || buffer[i] == ',') {
                if (fields < starts.length) {
                    starts[fields] = fieldStart;
                    ends[fields] = i;
                }
                fields++;
                fieldStart = i + 1;
            } else if (buffer[i] == '"') {
                quoted = true;
            }
        }
        return fields;
    }

    /**
     * Splits {@code buffer[start, end)} on {@code separator}, or on two of it in a row when
     * {@code doubled} (the {@code ::} of the .dat files); returns the number of fields. These
     * layouts have no quoting: a quote is a plain byte, so {@link #quoted()} stays false.
     */
    int split(byte[] buffer, int start, int end, byte separator, boolean doubled) {
        line = buffer;
        fields = 0;
        quoted = false;
        int fieldStart = start;
        for (int i = start; i <= end; i++) {
            boolean boundary =
                    i == end || (buffer[i] == separator && (!doubled || (i + 1 < end && buffer[i + 1] == separator)));
            if (boundary) {
                if (fields < starts.length) {
                    starts[fields] = fieldStart;
                    ends[fields] = i;
                }
                fields++;
                if (doubled && i < end) {
                    i++;
                }
                fieldStart = i + 1;
            }
        }
        return fields;
    }

    /** Whether a double quote appears: such a line goes through the general CSV path instead. */
    boolean quoted() {
        return quoted;
    }

    int parseInt(int field) {
        long value = parseLong(field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new NumberFormatException("out of int range");
        }
        return (int) value;
    }

    long parseLong(int field) {
        int i = starts[field];
        int end = ends[field];
        if (i == end) {
            throw new NumberFormatException("empty");
        }
        boolean negative = line[i] == '-';
        if (negative || line[i] == '+') {
            i++;
            if (i == end) {
                throw new NumberFormatException("sign only");
            }
        }
        long value = 0;
        for (; i < end; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10) {
                throw new NumberFormatException(text(field));
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** A decimal such as {@code 4}, {@code 3.5} or {@code 0.02500}; other forms go through Double. */
    double parseDecimal(int field) {
        int i = starts[field];
        int end = ends[field];
        if (i == end) {
            throw new NumberFormatException("empty");
        }
        boolean negative = line[i] == '-';
        if (negative || line[i] == '+') {
            i++;
        }
        long mantissa = 0;
        int scale = 0;
        boolean dot = false;
        int digits = 0;
        for (; i < end; i++) {
            byte b = line[i];
            if (b == '.' && !dot) {
                dot = true;
            } else if (b >= '0' && b <= '9' && digits < 17) {
                mantissa = mantissa * 10 + (b - '0');
                digits++;
                if (dot) {
                    scale++;
                }
            } else {
                return Double.parseDouble(text(field));
            }
        }
        if (digits == 0) {
            throw new NumberFormatException(text(field));
        }
        double value = mantissa / Math.pow(10, scale);
        return negative ? -value : value;
    }

    String text(int field) {
        return new String(line, starts[field], ends[field] - starts[field], StandardCharsets.UTF_8);
    }
}
