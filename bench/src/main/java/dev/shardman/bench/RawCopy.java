package dev.shardman.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The floor of a partition copy: {@code COPY (SELECT ...) TO STDOUT} on the source piped into
 * {@code COPY ... FROM STDIN} on the destination, text format (what the initial copy of a logical
 * replication subscription sends), through pgjdbc's copy API. The pipe is a bounded queue of 256 KiB
 * chunks between a reading thread and the writing (calling) thread, so both servers work at once and
 * nothing touches the disk on the way. (java.io's piped streams are not used: their reader polls once a
 * second when it catches up with the writer.)
 */
final class RawCopy {
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final byte[] END = new byte[0];

    /** Rows and bytes of text that went through the pipe, and how long it took from the first COPY to the destination's commit. */
    record Result(long rows, long bytes, long nanos) {
    }

    private RawCopy() {
    }

    static Result copy(Connection source, String copyOutSql, Connection destination, String copyInSql) throws Exception {
        BlockingQueue<byte[]> pipe = new ArrayBlockingQueue<>(16);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        destination.setAutoCommit(false);
        long started = System.nanoTime();
        Future<Long> rows = reader.submit(() -> readInto(source, copyOutSql, pipe));
        try {
            CopyIn copyIn = destination.unwrap(PGConnection.class).getCopyAPI().copyIn(copyInSql);
            long bytes = 0;
            try {
                while (true) {
                    byte[] chunk = pipe.poll(1, TimeUnit.SECONDS);
                    if (chunk == END) {
                        break;
                    }
                    if (chunk == null) {
                        if (rows.isDone()) {
                            rows.get(); // the reader failed: throw its error
                        }
                        continue;
                    }
                    copyIn.writeToCopy(chunk, 0, chunk.length);
                    bytes += chunk.length;
                }
                copyIn.endCopy();
            } finally {
                if (copyIn.isActive()) {
                    copyIn.cancelCopy();
                }
            }
            destination.commit();
            long took = System.nanoTime() - started;
            return new Result(rows.get(), bytes, took);
        } finally {
            reader.shutdownNow();
        }
    }

    private static long readInto(Connection source, String copyOutSql, BlockingQueue<byte[]> pipe) throws SQLException, InterruptedException {
        CopyOut copyOut = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOutSql);
        byte[] chunk = new byte[CHUNK_BYTES];
        int used = 0;
        long rows = 0;
        byte[] row;
        while ((row = copyOut.readFromCopy()) != null) {
            rows++;
            if (used + row.length > chunk.length) {
                pipe.put(Arrays.copyOf(chunk, used));
                used = 0;
                if (row.length > chunk.length) {
                    pipe.put(row);
                    continue;
                }
            }
            System.arraycopy(row, 0, chunk, used, row.length);
            used += row.length;
        }
        if (used > 0) {
            pipe.put(Arrays.copyOf(chunk, used));
        }
        pipe.put(END);
        return rows;
    }
}
