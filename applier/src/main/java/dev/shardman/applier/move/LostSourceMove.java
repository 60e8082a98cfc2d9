package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MovePhase;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.metadata.StepRun;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ReplicationSql;
import dev.shardman.model.state.NodeState;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * A move whose cutover committed (phase verify or later) and whose source is then lost: it is finished FORWARD without
 * the source, never connecting to it. Every write since the cutover went to the destination, so its copy is the
 * newest there is; promoting a replica (fed by the source) would lose those rows. The order of the steps:
 * docs/internals/moves.md, "Lost source".
 */
final class LostSourceMove {
    private final MetadataStore store;
    private final Predicate<String> lost;

    /** @param lost whether a node is lost (spec or metadata) */
    LostSourceMove(MetadataStore store, Predicate<String> lost) {
        this.store = requireNonNull(store, "store is null");
        this.lost = requireNonNull(lost, "lost is null");
    }

    /** Finishes the move of {@code context} (its source lost, phase verify or later), journaled as {@code run}; returns the loud line. */
    String finish(MoveContext context, StepRun run, Set<TableName> excluded) throws SQLException {
        MoveRecord move = context.move();
        ReplicationSql.dropSubscription(context.connections().shared(context.destination()), move.channelName());
        if (move.phase().compareTo(MovePhase.COMMIT) <= 0) {
            if (move.verification().isEmpty()) {
                move = store.moves().recordVerification(move, MoveRecord.Verification.LOST, "the source " + move.fromNode()
                        + " was lost after the cutover: not verified; its retired copy is gone with it, the destination's copy is the newest");
            }
            MoveContext current = context.withMove(move);
            if (move.phase().compareTo(MovePhase.SWITCH_DESTINATION) <= 0) {
                MoveSwitch.destination(current);
            }
            MoveSwitch.reconcile(current, liveNodesButSource(current), excluded);
            store.commitMove(run, current.before(), current.after(), move);
            move = store.moves().get(move.id());
        } else {
            store.journal().finishStep(run);
        }
        store.moves().finish(move, MovePhase.DONE, false);
        return "WARNING: finished the move of " + move.describe() + " without its source " + move.fromNode() + " (lost after the cutover): "
                + move.toNode() + " holds the newest copy (every write since the cutover went there); the move was not verified and the "
                + "retired copy is gone with " + move.fromNode();
    }

    /** The destination first, then every other node that is not lost, by name (the source is lost). */
    private List<NodeState> liveNodesButSource(MoveContext context) {
        List<NodeState> nodes = new ArrayList<>(List.of(context.destination()));
        context.after().nodes().stream().filter(node -> !node.lost() && !lost.test(node.name()))
                .filter(node -> !node.name().equals(context.source().name()) && !node.name().equals(context.destination().name()))
                .sorted(Comparator.comparing(NodeState::name)).forEach(nodes::add);
        return nodes;
    }
}
