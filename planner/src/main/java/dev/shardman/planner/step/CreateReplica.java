package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Creates a replica of a partition unit on {@code node}, copied from and then subscribed to its primary on {@code primary}. */
public record CreateReplica(PartitionUnit unit, String node, String primary) implements Step {
    public CreateReplica {
        requireNonNull(unit, "unit is null");
        requireNonNull(node, "node is null");
        requireNonNull(primary, "primary is null");
        if (node.equals(primary)) {
            throw new IllegalArgumentException("replica of " + unit.name() + " on its primary's node " + node);
        }
    }

    @Override
    public StepId id() {
        return StepId.of("create-replica", unit.name() + "@" + node);
    }

    @Override
    public Action action() {
        return Action.CREATE;
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
        return StepKinds.sorted(List.of(node, primary));
    }

    @Override
    public String describe() {
        return "replica of " + unit.describe() + " will be created on " + node + " (copied from " + primary + ")";
    }

    @Override
    public DataMovement dataMovement() {
        return DataMovement.NEW_REPLICA;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.addReplica(unit, node);
    }
}
