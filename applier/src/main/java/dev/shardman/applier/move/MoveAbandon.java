package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MovePhase;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.metadata.Moves;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ReplicationSql;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A move in flight whose source or destination is lost (in the spec or the metadata) and that had not cut over is
 * abandoned WITHOUT connecting to the lost node: its objects on the survivor are dropped and {@code shardman.moves}
 * records it as rolled back; the unit stays on the source. A move that may have cut over is not abandoned here
 * ({@link MoveRecovery}, {@link LostDestinationMove}; docs/internals/moves.md, "Recovery of moves").
 */
final class MoveAbandon {
    private static final Duration WALSENDER_EXIT = Duration.ofSeconds(10);

    private final Moves moves;
    private final MoveConnections connections;
    private final Set<String> lostNodes;

    MoveAbandon(Moves moves, MoveConnections connections, Set<String> lostNodes) {
        this.moves = requireNonNull(moves, "moves is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.lostNodes = Set.copyOf(lostNodes);
    }

    /** Whether {@code node} is lost (spec or metadata). */
    boolean lost(ClusterState state, String node) {
        return lostNodes.contains(node) || state.node(node).map(NodeState::lost).orElse(false);
    }

    /** Whether {@code move} touches a lost node. */
    boolean touchesLost(MoveRecord move, ClusterState state) {
        return lost(state, move.fromNode()) || lost(state, move.toNode());
    }

    /**
     * Abandons {@code move}, which touches a lost node and had not cut over (the caller knows: phase before the cutover,
     * or a cutover not committed on a live source); returns the line that says what was done.
     */
    String abandon(MoveRecord move, ClusterState state, List<TableName> copies) throws SQLException {
        boolean sourceLost = lost(state, move.fromNode());
        boolean destinationLost = lost(state, move.toNode());
        if (!sourceLost) {
            Connection source = connections.shared(state.node(move.fromNode()).orElseThrow());
            endReader(source, move.channelName());
            ReplicationSql.dropSlot(source, move.channelName());
            ReplicationSql.execute(source, "DROP PUBLICATION IF EXISTS " + SqlNames.identifier(move.channelName()));
        }
        if (!destinationLost) {
            Connection destination = connections.shared(state.node(move.toNode()).orElseThrow());
            ReplicationSql.dropSubscription(destination, move.channelName());
            for (TableName copy : copies) {
                if (MoveCleanup.isMoveCopy(destination, copy, move.channelName())) {
                    ReplicationSql.execute(destination, "DROP TABLE " + SqlNames.qualified(copy));
                }
            }
        }
        moves.finish(move, MovePhase.ROLLED_BACK, false);
        String lostSide = sourceLost && destinationLost ? "its source and destination are" : sourceLost ? "its source " + move.fromNode() + " is"
                : "its destination " + move.toNode() + " is";
        return "abandoned the move of " + move.describe() + " (phase " + move.phase().text() + ", not cut over): " + lostSide
                + " lost; its objects on the survivors were dropped without connecting to the lost node";
    }

    /** Ends the walsender of the slot {@code name} (its reader is on a lost node) and waits, bounded, until the slot is free. */
    static void endReader(Connection source, String name) throws SQLException {
        MoveSql.queryBoolean(source, """
                SELECT coalesce(bool_and(pg_catalog.pg_terminate_backend(active_pid)), true) FROM pg_catalog.pg_replication_slots
                WHERE slot_name = ? AND active_pid IS NOT NULL""", name);
        long deadline = System.nanoTime() + WALSENDER_EXIT.toNanos();
        while (MoveSql.queryBoolean(source, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND active)", name)) {
            if (System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
