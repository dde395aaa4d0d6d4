package org.recofilms.ingestion.generator;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Buffered writer of CSV lines as UTF-8 bytes. Numbers are formatted by hand into the buffer because
 * {@code String.valueOf} and {@code String.format} allocate on every call, which dominates the time
 * of writing twenty million rating lines.
 *
 * <p>It counts physical lines (the header is line 1) so that injected bad rows can be reported with
 * their line numbers.
 */
final class CsvOut implements Closeable {

    private static final int CAPACITY = 1 << 16;
    /** Room that one numeric line can never exceed; checked once per line instead of per byte. */
    static final int MAX_NUMERIC_LINE = 96;

    private final OutputStream out;
    private final byte[] buffer = new byte[CAPACITY];
    private int position;
    private long lines;

    CsvOut(final OutputStream out) {
        this.out = out;
    }

    static CsvOut create(final Path file) throws IOException {
        return new CsvOut(Files.newOutputStream(file));
    }

    /** Physical lines ended so far. */
    long lines() {
        return lines;
    }

    /** Makes sure that {@code bytes} more bytes fit in the buffer (at most its capacity). */
    void reserve(final int bytes) throws IOException {
        if (position + bytes > CAPACITY) {
            flushBuffer();
        }
    }

    CsvOut ascii(final char c) {
        buffer[position++] = (byte) c;
        return this;
    }

    CsvOut comma() {
        buffer[position++] = ',';
        return this;
    }

    void endLine() {
        buffer[position++] = '\n';
        lines++;
    }

    /** Writes raw bytes; these may be longer than the buffer. */
    CsvOut bytes(final byte[] bytes) throws IOException {
        if (bytes.length > CAPACITY - position) {
            flushBuffer();
            if (bytes.length > CAPACITY) {
                out.write(bytes);
                return this;
            }
        }
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
        return this;
    }

    /** Writes a text field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
    CsvOut field(final String text) throws IOException {
        return bytes(escape(text));
    }

    /** Writes a whole line of text (no escaping) and ends it. */
    void line(final String text) throws IOException {
        bytes(text.getBytes(StandardCharsets.UTF_8));
        reserve(1);
        endLine();
    }

    /** Writes a non-negative or negative integer in base 10. */
    CsvOut number(final long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                final byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(text, 0, buffer, position, text.length);
                position += text.length;
                return this;
            }
            buffer[position++] = '-';
            return number(-value);
        }
        final int digits = digits(value);
        long rest = value;
        for (int i = position + digits - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + (int) (rest % 10));
            rest /= 10;
        }
        position += digits;
        return this;
    }

    /**
     * Writes {@code scaled / 10^decimals} with exactly {@code decimals} digits after the point, e.g.
     * 2500 with 5 decimals as {@code 0.02500}. The value must not be negative.
     */
    CsvOut fixed(final long scaled, final int decimals) {
        long unit = 1;
        for (int i = 0; i < decimals; i++) {
            unit *= 10;
        }
        number(scaled / unit);
        if (decimals > 0) {
            buffer[position++] = '.';
            long rest = scaled % unit;
            for (int i = position + decimals - 1; i >= position; i--) {
                buffer[i] = (byte) ('0' + (int) (rest % 10));
                rest /= 10;
            }
            position += decimals;
        }
        return this;
    }

    static int digits(final long value) {
        int digits = 1;
        long limit = 10;
        while (digits < 19 && value >= limit) {
            digits++;
            limit *= 10;
        }
        return digits;
    }

    static byte[] escape(final String text) {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            final char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        final String field = quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
        return field.getBytes(StandardCharsets.UTF_8);
    }

    private void flushBuffer() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
    }

    @Override
    public void close() throws IOException {
        try (out) {
            flushBuffer();
        }
    }
}
