package dev.shardman.planner.step;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Re-creates, empty, a partition unit whose only copy was on a lost node: its rows are gone. Refused
 * unless {@code --allow-data-loss}.
 */
public record RecreatePartition(PartitionUnit unit, String lostNode, String node) implements Step {
    public RecreatePartition {
        requireNonNull(unit, "unit is null");
        requireNonNull(lostNode, "lostNode is null");
        requireNonNull(node, "node is null");
    }

    @Override
    public StepId id() {
        return StepId.of("recreate-partition", unit.name());
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
        return StepKinds.sorted(List.of(lostNode, node));
    }

    @Override
    public String describe() {
        return unit.describe() + " had no replica on lost " + lostNode + " and will be re-created EMPTY on " + node + " (data loss)";
    }

    @Override
    public boolean dataLoss() {
        return true;
    }

    @Override
    public DataMovement dataMovement() {
        return DataMovement.RE_CREATION;
    }

    @Override
    public Optional<Permission> requiredPermission() {
        return Optional.of(Permission.ALLOW_DATA_LOSS);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.setPrimary(unit, lostNode, node);
        state.markEmpty(unit);
    }
}
