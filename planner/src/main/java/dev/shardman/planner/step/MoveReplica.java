package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Moves a replica of a partition unit: a new copy on {@code to} from the primary on {@code primary}, then the copy on {@code from} is dropped. */
public record MoveReplica(PartitionUnit unit, String from, String to, String primary) implements Step {
    public MoveReplica {
        requireNonNull(unit, "unit is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(primary, "primary is null");
        if (from.equals(to) || to.equals(primary)) {
            throw new IllegalArgumentException("bad replica move of " + unit.name() + ": " + from + " → " + to + " (primary on " + primary + ")");
        }
    }

    @Override
    public StepId id() {
        return StepId.of("move-replica", unit.name() + "@" + from);
    }

    @Override
    public Action action() {
        return Action.MOVE;
    }

    @Override
    public String subject() {
        return "table " + unit.anchor();
    }

    @Override
    public List<String> objects() {
        return unit.partitionNames();
    }

    @Override
    public List<String> nodes() {
        return StepKinds.sorted(List.of(from, to, primary));
    }

    @Override
    public String describe() {
        return "replica of " + unit.describe() + " will be moved from " + from + " to " + to;
    }

    @Override
    public DataMovement dataMovement() {
        return DataMovement.REPLICA_MOVE;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.removeReplica(unit, from);
        state.addReplica(unit, to);
    }
}
