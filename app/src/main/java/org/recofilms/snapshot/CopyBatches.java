package org.recofilms.snapshot;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Rows of a binary COPY decoded on a thread of their own, handed over in column batches: while the caller encodes
 * one batch into Parquet, the reader thread receives and decodes the next ones from the server, so that the two
 * halves of an export run on two cores instead of one after the other. A fixed set of {@link #BATCHES} batches of
 * primitive arrays circulates between the two threads: nothing is allocated per row or per batch.
 *
 * <p>The reader thread is the only user of the COPY stream and its connection until {@link #close} returns; the
 * caller must close this before it closes the stream (which then ends the COPY cleanly if it was cut short).
 */
final class CopyBatches implements AutoCloseable {

    /** Rows per batch: 1.3 MB of arrays, a few milliseconds of work on either side. */
    static final int BATCH_ROWS = 1 << 16;

    /** Batches in circulation: enough for either side to run ahead of the other by a couple of batches. */
    static final int BATCHES = 4;

    /** Decoded rows, in stream order; {@code size} of them are valid. */
    static final class Batch {
        final int[] userId;
        final int[] movieId;
        final float[] rating;
        final long[] timestamp;
        int size;

        Batch(int capacity) {
            userId = new int[capacity];
            movieId = new int[capacity];
            rating = new float[capacity];
            timestamp = new long[capacity];
        }
    }

    /** Queued after a failure of the reader thread; {@link #failure} says what. */
    private static final Batch FAILED = new Batch(0);

    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    // one more slot than there are batches, so that FAILED always fits
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES + 1);
    private final Thread reader;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private boolean ended;

    CopyBatches(BinaryCopyReader rows) {
        this(rows, BATCH_ROWS);
    }

    /** With another batch size, for tests. */
    CopyBatches(BinaryCopyReader rows, int batchRows) {
        for (int b = 0; b < BATCHES; b++) {
            free.add(new Batch(batchRows));
        }
        reader = new Thread(() -> decode(rows), "snapshot-copy-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void decode(BinaryCopyReader rows) {
        try {
            while (!stopped) {
                Batch batch = free.take();
                batch.size = rows.read(batch.userId, batch.movieId, batch.rating, batch.timestamp, batch.userId.length);
                full.put(batch);
                if (batch.size == 0) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close() stopped the read early: the caller gave up on the rows
        } catch (Throwable e) {
            failure = e;
            full.add(FAILED);
        }
    }

    /**
     * The next batch of rows, never empty, or null after the last one. Give each batch back with {@link #recycle}
     * once its rows are used.
     *
     * @throws IOException what the reader thread met (a malformed row, a network or server error), as it was thrown
     * @throws InterruptedException when the calling thread is interrupted while it waits
     */
    Batch next() throws IOException, InterruptedException {
        if (ended) {
            return null;
        }
        Batch batch = full.take();
        if (batch == FAILED) {
            ended = true;
            Throwable e = failure;
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IOException(e);
        }
        if (batch.size == 0) {
            ended = true;
            return null;
        }
        return batch;
    }

    /** Hands a batch from {@link #next} back to the reader thread. */
    void recycle(Batch batch) {
        free.add(batch);
    }

    /**
     * Stops the reader thread, if it still runs, and waits for it: afterwards the COPY stream is the caller's
     * again. A read in progress is left to finish (it returns as soon as the server sends more), so the wait is
     * uninterruptible; an interruption meanwhile is kept for the caller.
     */
    @Override
    public void close() {
        stopped = true;
        reader.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
