package dev.shardman.planner.step;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Drops a replica that redundancy no longer asks for; the primary on {@code primary} keeps the data. */
public record DropReplica(PartitionUnit unit, String node, String primary) implements Step {
    public DropReplica {
        requireNonNull(unit, "unit is null");
        requireNonNull(node, "node is null");
        requireNonNull(primary, "primary is null");
    }

    @Override
    public StepId id() {
        return StepId.of("drop-replica", unit.name() + "@" + node);
    }

    @Override
    public Action action() {
        return Action.DELETE;
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
        return "replica of " + unit.describe() + " on " + node + " will be dropped";
    }

    @Override
    public Set<OrderingRole> orderingRoles() {
        return Set.of(OrderingRole.SHRINK);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.removeReplica(unit, node);
    }
}
