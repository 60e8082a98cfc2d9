package dev.shardman.planner.step;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Moves the primary of a partition unit from one node to another of its group (copy, catch up,
 * cutover, drop the old copy; DESIGN.md "Moving a partition"). Colocated partitions move together.
 */
public record MovePrimary(PartitionUnit unit, String from, String to) implements Step {
    public MovePrimary {
        requireNonNull(unit, "unit is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (from.equals(to)) {
            throw new IllegalArgumentException("move of " + unit.name() + " to the node it is on: " + to);
        }
    }

    @Override
    public StepId id() {
        return StepId.of("move-primary", unit.name());
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
        return StepKinds.sorted(List.of(from, to));
    }

    @Override
    public String describe() {
        return unit.describe() + " will be moved from " + from + " to " + to;
    }

    @Override
    public DataMovement dataMovement() {
        return DataMovement.PRIMARY_MOVE;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.setPrimary(unit, from, to);
    }
}
