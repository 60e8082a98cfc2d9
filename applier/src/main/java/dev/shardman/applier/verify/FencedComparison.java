package dev.shardman.applier.verify;

import dev.shardman.applier.objects.SqlNames;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The exact comparison of one copy with its source under concurrent writes, for {@code verify --fence-writes}:
 * in one transaction on the source's node, {@code LOCK ... IN EXCLUSIVE MODE} on the source relation (writers
 * wait, readers do not; {@link #LOCK_TIMEOUT} so that verify gives up rather than queue behind a long
 * writer), read the source, read the WAL position, wait until the copy's slot confirmed it, read the copy,
 * commit. No write can fall between the two readings, so a match or a mismatch is exact. Writers to that
 * one relation wait for the fence: the time is in the comparison's note (the catch-up of the copy plus
 * both readings; tens of milliseconds for partitions of some thousand rows).
 */
final class FencedComparison {
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

    private FencedComparison() {
    }

    static Comparison compare(NodeSessions sessions, CopyPair pair, Duration catchUpTimeout, int attempt) throws SQLException, InterruptedException {
        try (Connection source = sessions.openWritable(pair.source().node())) {
            source.setAutoCommit(false);
            try (Statement statement = source.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
                statement.execute("LOCK TABLE " + qualified(pair.source()) + " IN EXCLUSIVE MODE");
                long fenceStart = System.nanoTime();
                TableChecksum sourceFigure = PartitionChecksum.of(source, pair.source().schema(), pair.source().relation(), pair.source().columns());
                String position;
                try (ResultSet row = statement.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text")) {
                    row.next();
                    position = row.getString(1);
                }
                Map<String, String> behind = SlotCatchUp.await(source, pair.source().node(), Set.of(pair.slot()), position, catchUpTimeout, 5);
                TableChecksum copyFigure = PartitionChecksum.of(sessions.session(pair.copy().node()), pair.copy().schema(), pair.copy().relation(),
                        pair.copy().columns());
                source.commit();
                long fenceMillis = (System.nanoTime() - fenceStart) / 1_000_000;
                String note = "compared with writes to the " + pair.kind().sourceRole() + " blocked for " + fenceMillis + " ms"
                        + (behind.isEmpty() ? "" : "; " + String.join("; ", behind.values()));
                return new Comparison(pair.kind(), pair.table(), pair.name(), pair.source().node(), sourceFigure, pair.copy().node(), copyFigure,
                        attempt, note);
            } finally {
                source.rollback();
            }
        }
    }

    private static String qualified(CopyLocation location) {
        return SqlNames.identifier(location.schema()) + "." + SqlNames.identifier(location.relation());
    }
}
