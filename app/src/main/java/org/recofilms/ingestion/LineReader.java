package org.recofilms.ingestion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a file line by line straight from bytes, without a String per line: MovieLens records are
 * one physical line each, and the two big files (ratings, genome scores) hold only numbers. A line
 * is {@link #buffer()}[{@link #start()}, {@link #end()}), without its line end ({@code \n} or
 * {@code \r\n}). Lines longer than the buffer grow it.
 */
final class LineReader implements AutoCloseable {

    private final InputStream in;
    private byte[] buffer = new byte[1 << 20];
    private int limit;
    private int position;
    private int start;
    private int end;
    private long lineNumber;
    private long bytesRead;
    private boolean eof;
    private final CharsetDecoder strictUtf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at the end of the file. */
    boolean next() throws IOException {
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    start = position;
                    end = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    position = i + 1;
                    lineNumber++;
                    return true;
                }
            }
            if (eof) {
                if (position < limit) {
                    start = position;
                    end = buffer[limit - 1] == '\r' ? limit - 1 : limit;
                    position = limit;
                    lineNumber++;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        int remaining = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, remaining);
        } else if (remaining == buffer.length) {
            byte[] bigger = new byte[buffer.length * 2];
            System.arraycopy(buffer, 0, bigger, 0, remaining);
            buffer = bigger;
        }
        position = 0;
        limit = remaining;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
            bytesRead += n;
        }
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** 1-based number of the current line in the file (the header is line 1). */
    long lineNumber() {
        return lineNumber;
    }

    long bytesRead() {
        return bytesRead;
    }

    String text() {
        return new String(buffer, start, end - start, StandardCharsets.UTF_8);
    }

    /** The line decoded with {@code charset} (malformed input replaced). */
    String text(Charset charset) {
        return new String(buffer, start, end - start, charset);
    }

    /**
     * The line decoded as UTF-8 when it is valid UTF-8, else as Latin-1 (every byte a character):
     * for releases whose encoding differs between editions (ml-1m Latin-1, ml-10m UTF-8).
     */
    String textUtf8OrLatin1() {
        try {
            return strictUtf8
                    .reset()
                    .decode(ByteBuffer.wrap(buffer, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return text(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
