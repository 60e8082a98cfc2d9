package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MovePhase;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.metadata.Moves;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ReplicationSql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A move whose metadata committed (phase cleanup: the unit is on the destination) and whose destination is then lost:
 * the move is finished on the live nodes only, never connecting to the destination. On a live source the slot (its
 * walsender ended first: the reader is gone) and the publication are dropped, the proxy becomes the ordinary foreign
 * partition of a unit held by the destination, and the retired copy is KEPT (it is the last copy of the rows written up
 * to the cutover, beside the unit's replicas): said loudly. The move is then recorded finished, so that the failover
 * of the lost destination runs as for any lost primary (its replica promoted, or {@code --allow-data-loss}).
 */
final class LostDestinationMove {
    private final Moves moves;
    private final Predicate<String> lost;

    /** @param lost whether a node is lost (spec or metadata) */
    LostDestinationMove(Moves moves, Predicate<String> lost) {
        this.moves = requireNonNull(moves, "moves is null");
        this.lost = requireNonNull(lost, "lost is null");
    }

    /** Finishes the move of {@code context} (phase cleanup, its destination lost); returns the loud line. */
    String finishCommitted(MoveContext context, Set<TableName> excluded) throws SQLException {
        MoveRecord move = context.move();
        List<TableName> kept = List.of();
        if (!lost.test(move.fromNode())) {
            Connection source = context.connections().shared(context.source());
            MoveAbandon.endReader(source, move.channelName());
            ReplicationSql.dropSlot(source, move.channelName());
            ReplicationSql.execute(source, "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(move.channelName()));
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
