package dev.shardman.applier.move;

import dev.shardman.applier.objects.SqlNames;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Phase {@code catch-up}: waits until every table of the move's subscription is in sync state {@code r} (initial
 * copy done) and the slot's lag on the source is under {@link #LAG_GATE_BYTES}, reporting progress at most
 * every {@link #POLL} (bytes of the destination's copies against the source's partitions). Read-only, so resuming
 * it is just waiting again. A wait in which nothing moves for {@link #STALL} fails with the subscription named.
 */
final class MoveCatchUp {
    /**
     * The lag under which the cutover may start: what is left is applied while the source holds its write lock,
     * so this bounds the write fence (a few MB apply in tens of milliseconds on the measured machines).
     */
    static final long LAG_GATE_BYTES = 4L * 1024 * 1024;
    static final Duration POLL = Duration.ofMillis(250);
    /**
     * The first look again after this, each pause twice the last up to {@link #POLL}: a near-empty partition is in sync
     * within tens of milliseconds, and a fixed {@link #POLL} added its half on average to every move.
     */
    static final Duration FIRST_POLL = Duration.ofMillis(10);
    static final Duration STALL = Duration.ofMinutes(5);

    private static final String NOT_READY = """
            SELECT count(*) FILTER (WHERE r.srsubstate <> 'r'), count(r.srrelid)
            FROM pg_catalog.pg_subscription s LEFT JOIN pg_catalog.pg_subscription_rel r ON r.srsubid = s.oid
            WHERE s.subname = ? AND s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())""";
    private static final String LAG = """
            SELECT coalesce(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), confirmed_flush_lsn), -1)::bigint
            FROM pg_catalog.pg_replication_slots WHERE slot_name = ?""";
    private static final String SIZE = "SELECT coalesce(pg_catalog.pg_table_size(to_regclass(?)), 0)";

    private MoveCatchUp() {
    }

    /** Returns the bytes of the source's partitions (the total the progress counted against). */
    static long run(MoveContext context, int unit, int units, Consumer<MoveProgress> progress) throws SQLException {
        Connection source = context.connections().shared(context.source());
        Connection destination = context.connections().shared(context.destination());
        String name = context.move().channelName();
        long started = System.nanoTime();
        long lastChange = started;
        String lastSeen = "";
        long pause = FIRST_POLL.toMillis();
        while (true) {
            long total = 0;
            long copied = 0;
            for (TableState table : context.tables()) {
                String partition = SqlNames.qualified(context.partition(table));
                long size = MoveSql.queryLong(source, SIZE, partition);
                total += size;
                copied += Math.min(size, MoveSql.queryLong(destination, SIZE, partition));
            }
            long notReady;
            long tables;
            try (var statement = destination.prepareStatement(NOT_READY)) {
                statement.setString(1, name);
                try (var row = statement.executeQuery()) {
                    row.next();
                    notReady = row.getLong(1);
                    tables = row.getLong(2);
                }
            }
            long lag = MoveSql.queryLong(source, LAG, name);
            boolean synced = tables == context.tables().size() && notReady == 0;
            progress.accept(new MoveProgress(context.move().stepId(), context.move().describe(), unit, units, "catch-up",
                    synced ? total : copied, total, eta(started, copied, total)));
            if (synced && lag >= 0 && lag < LAG_GATE_BYTES) {
                return total;
            }
            String seen = copied + "/" + notReady + "/" + lag;
            if (!seen.equals(lastSeen)) {
                lastSeen = seen;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "the move of " + context.move().describe() + " made no progress for "
                        + STALL.toMinutes() + " minutes (subscription " + name + " on " + context.destination().name() + ", "
                        + notReady + " table(s) not in sync, slot lag " + lag + " bytes)",
                        "look at the destination's server log (apply worker errors); run apply again to resume, or recover to roll the move back");
            }
            MoveSql.sleep(pause);
            pause = Math.min(POLL.toMillis(), pause * 2);
        }
    }

    private static Optional<Duration> eta(long started, long copied, long total) {
        long elapsed = System.nanoTime() - started;
        if (copied <= 0 || elapsed <= 0 || copied >= total) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) (elapsed * ((double) (total - copied) / copied))));
    }
}
