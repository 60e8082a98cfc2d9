package dev.shardman.applier.execute;

import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.move.MoveRecovery;
import dev.shardman.applier.move.MoveTables;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.step.MovePrimary;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The partitions of the data moves in flight, which a step's node work leaves alone, as the steps of one apply read
 * them. Only a primary move starts or ends a move (its own flow, or its copy ahead of its turn), so a plan without one
 * reads the moves once, after recovery, instead of once per step: a shardlord transaction per step saved.
 */
final class InFlightMoves {
    private InFlightMoves() {
    }

    /** Read at every step when {@code plan} moves primaries; otherwise read once, now. */
    static Function<ClusterState, Set<TableName>> forRun(Plan plan, MetadataStore store, MoveRecovery moves) {
        if (plan.steps().stream().anyMatch(planned -> planned.step() instanceof MovePrimary)) {
            return moves::inFlightTables;
        }
        List<MoveRecord> inFlight = store.moves().inFlight();
        return state -> MoveTables.of(inFlight, state);
    }
}
