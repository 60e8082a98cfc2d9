package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MovePhase;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.metadata.Moves;
import dev.shardman.applier.objects.NodeObject;
import dev.shardman.applier.objects.PartitionIndex;
import dev.shardman.applier.objects.PrimaryKey;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ReplicationSql;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A move whose destination is lost after its cutover, finished on the live nodes only, never connecting to the
 * destination. After the metadata commit the source keeps its retired copy, loudly. Before it, the unit goes forward
 * when every replica holder followed the destination ({@link #rollsForward}); otherwise the source takes its copy
 * back ({@link #takeBack}), losing the writes since the cutover, so it is refused without {@code --allow-data-loss}
 * ({@link #refusal}). Cases: docs/internals/moves.md, "Lost destination".
 */
final class LostDestinationMove {
    private final Moves moves;
    private final Predicate<String> lost;

    /** @param lost whether a node is lost (spec or metadata) */
    LostDestinationMove(Moves moves, Predicate<String> lost) {
        this.moves = requireNonNull(moves, "moves is null");
        this.lost = requireNonNull(lost, "lost is null");
    }

    /**
     * Whether {@code context}'s move (its destination lost, its metadata not committed) needs its source's retired copy
     * taken back: its live source still holds that copy, so its cutover committed and was not taken back yet.
     */
    boolean needsTakeBack(MoveContext context) throws SQLException {
        return cutOverNotCommitted(context) && !MoveCutover.handover(context).followedByEveryHolder();
    }

    /**
     * Whether {@code context}'s move (its destination lost after its cutover, its metadata not committed) is finished
     * instead: every replica holder of the unit followed the destination from the fence ({@link dev.shardman.applier.replication.ReplicaHandover}), so
     * the metadata commits the unit on the destination and its failover promotes a replica; the source's copy is kept.
     */
    boolean rollsForward(MoveContext context) throws SQLException {
        return cutOverNotCommitted(context) && MoveCutover.handover(context).followedByEveryHolder();
    }

    /** Phases cutover to commit with the cutover committed on the live source: the writes since then went to the destination. */
    private boolean cutOverNotCommitted(MoveContext context) throws SQLException {
        MoveRecord move = context.move();
        return move.phase().compareTo(MovePhase.CUTOVER) >= 0 && move.phase().compareTo(MovePhase.COMMIT) <= 0
                && !lost.test(move.fromNode()) && MoveCutover.committed(context);
    }

    /** The refusal of a take-back without {@code --allow-data-loss}: nothing was changed. */
    static ShardmanException refusal(MoveContext context) {
        MoveRecord move = context.move();
        return new ShardmanException(ErrorCode.REFUSED, "the move of " + move.describe() + " cut over (phase " + move.phase().text()
                + ") and its destination " + move.toNode() + " is lost: taking " + partitions(context) + " back on " + move.fromNode()
                + " (its copy as of the cutover) loses every write to it acknowledged by " + move.toNode() + " since the cutover",
                "bring " + move.toNode() + " back (drop lost: true) and run recover to finish the move, or run apply --allow-data-loss");
    }

    /**
     * The source takes its retired copy back as the partition (a reverse cutover in ONE transaction, tried again on a
     * lock timeout), then the move's slot and publication go and the move is recorded rolled back: the reconcile that
     * follows repoints every other node to the source. Returns the DATA LOSS line.
     */
    String takeBack(MoveContext context) throws SQLException {
        MoveRecord move = context.move();
        Connection source = context.connections().shared(context.source());
        if (MoveCutover.committed(context)) {
            List<String> statements = reverseCutover(context);
            MoveSql.retrying(MoveCutover.ATTEMPTS, () -> {
                MoveSql.inTransaction(source, statements);
                return null;
            });
        }
        dropChannel(source, move.channelName());
        moves.finish(move, MovePhase.ROLLED_BACK, false);
        return "⚠ WARNING: DATA LOSS: " + move.fromNode() + " took " + partitions(context) + " back as of the cutover of the move of " + move.describe()
                + " (phase " + move.phase().text() + "): every write to it acknowledged by the lost " + move.toNode() + " since the cutover is lost";
    }

    /** Drops the proxy and the foreign partition to the destination, puts each retired copy back under its name and indexes, attaches it. */
    private static List<String> reverseCutover(MoveContext context) {
        // 'local': with sync_replication a standby on the lost node could never confirm this commit (the failover releases it later)
        List<String> statements = new ArrayList<>(List.of("SET LOCAL synchronous_commit = 'local'",
                "SET LOCAL lock_timeout = '" + MoveCutover.LOCK_TIMEOUT.toMillis() + "ms'",
                "LOCK TABLE " + context.tables().stream().map(table -> SqlNames.qualified(context.parent(table))).collect(Collectors.joining(", "))
                        + " IN ACCESS EXCLUSIVE MODE"));
        for (TableState table : context.tables()) {
            TableName partition = context.partition(table);
            TableName retired = context.retired(table);
            statements.add(context.render("drop_foreign_partition", Map.of("table", SqlNames.qualified(context.foreignPartition(table)))));
            statements.add(context.render("drop_foreign_partition", Map.of("table", SqlNames.qualified(partition))));
            statements.add("ALTER TABLE " + SqlNames.qualified(retired) + " SET SCHEMA " + SqlNames.identifier(table.schema()));
            for (NodeObject object : context.expected(context.before(), context.source(), Set.of(partition))) {
                String index = object instanceof PrimaryKey key ? key.name() : object instanceof PartitionIndex other ? other.name() : null;
                if (index != null) {
                    statements.add("ALTER INDEX " + SqlNames.qualified(partition.sibling(context.move().retiredName(index)))
                            + " RENAME TO " + SqlNames.identifier(index));
                }
            }
            statements.add("ALTER TABLE " + SqlNames.qualified(partition.sibling(retired.name())) + " RENAME TO " + SqlNames.identifier(partition.name()));
            statements.add(context.render("attach_local_partition", Map.of("parent", SqlNames.qualified(context.parent(table)),
                    "table", SqlNames.qualified(partition), "modulus", table.partitions(), "remainder", context.index())));
        }
        return statements;
    }

    /** The move's slot (its walsender ended first: the reader is gone) and publication on the live source. */
    private static void dropChannel(Connection source, String channel) throws SQLException {
        MoveAbandon.endReader(source, channel);
        ReplicationSql.dropSlot(source, channel);
        ReplicationSql.execute(source, "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(channel));
    }

    private static String partitions(MoveContext context) {
        return context.tables().stream().map(table -> context.partition(table).toString()).collect(Collectors.joining(", "));
    }

    /** Finishes the move of {@code context} (phase cleanup, its destination lost); returns the loud line. */
    String finishCommitted(MoveContext context, Set<TableName> excluded) throws SQLException {
        MoveRecord move = context.move();
        List<TableName> kept = List.of();
        if (!lost.test(move.fromNode())) {
            dropChannel(context.connections().shared(context.source()), move.channelName());
            kept = MoveCleanup.cleanUpSource(context, true, excluded);
        }
        moves.finish(move, MovePhase.DONE, !kept.isEmpty());
        return "WARNING: finished the move of " + move.describe() + " without its destination " + move.toNode()
                + " (lost after the metadata commit): nothing was attempted on " + move.toNode() + "; the failover of " + move.toNode()
                + " follows" + (kept.isEmpty() ? "" : "; " + move.fromNode() + " KEEPS the retired copies "
                + kept.stream().map(TableName::toString).collect(Collectors.joining(", "))
                + " (the rows up to the cutover: compare them with the failed-over partition, then drop them by hand)");
    }
}
