package dev.shardman.applier.execute;

import dev.shardman.model.state.ClusterState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What an interrupted run left for recovery to finish, read before anything changes, so that plan and apply show it and
 * apply runs it only after the confirmation. Items are in the order recovery does them: moves taken forward, moves rolled
 * back, move leftovers dropped, node objects and replication channels repaired; unreachable nodes are named (recovery
 * leaves them alone). Prepared transactions are not here: apply resolves those before it asks.
 *
 * @param stateAfter the metadata once the moves taken forward are committed, at the serial of the live metadata: the plan
 *        is made from it, and a saved plan is stale when the live serial differs
 */
public record PendingRecovery(List<Item> items, ClusterState stateAfter) {
    public PendingRecovery {
        items = List.copyOf(items);
        requireNonNull(stateAfter, "stateAfter is null");
    }

    /** Nothing to finish: a new cluster, or the nodes match the metadata. */
    public static PendingRecovery none(ClusterState state) {
        return new PendingRecovery(List.of(), state);
    }

    /** What recovery will do (or, for UNREACHABLE, cannot), one line; {@code description} starts with the node when it has one. */
    public record Item(Kind kind, String description) {
        public Item {
            requireNonNull(kind, "kind is null");
            requireNonNull(description, "description is null");
        }
    }

    /** The kinds of item; {@link #text()} is the JSON value. */
    public enum Kind {
        FINISH_MOVE, ROLL_BACK_MOVE, DROP_MOVE_LEFTOVER, REPAIR_OBJECT, REPAIR_CHANNEL, UNREACHABLE;

        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Whether recovery would change anything (unreachable nodes alone change nothing). */
    public boolean isEmpty() {
        return items.stream().allMatch(item -> item.kind() == Kind.UNREACHABLE);
    }

    /** This, with the moves that the plan no longer holds to roll back (after the moves taken forward). */
    PendingRecovery withRollBacks(List<String> rollBacks) {
        List<Item> all = new ArrayList<>();
        items.stream().filter(item -> item.kind() == Kind.FINISH_MOVE).forEach(all::add);
        rollBacks.forEach(line -> all.add(new Item(Kind.ROLL_BACK_MOVE, line)));
        items.stream().filter(item -> item.kind() != Kind.FINISH_MOVE).forEach(all::add);
        return new PendingRecovery(all, stateAfter);
    }
}
