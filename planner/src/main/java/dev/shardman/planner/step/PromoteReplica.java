package dev.shardman.planner.step;

import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Fails over a partition unit whose primary was on a lost node: one of its replicas becomes the
 * primary. At run time the applier promotes the most advanced candidate (highest replication origin
 * LSN); the plan assumes {@code expected}, the first candidate, and the steps after it are computed
 * with that assumption (if another candidate wins, apply must re-plan).
 */
public record PromoteReplica(PartitionUnit unit, String lostNode, List<String> candidates) implements Step {
    public PromoteReplica {
        requireNonNull(unit, "unit is null");
        requireNonNull(lostNode, "lostNode is null");
        candidates = List.copyOf(requireNonNull(candidates, "candidates is null"));
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no replica to promote for " + unit.name());
        }
    }

    /** The candidate the rest of the plan assumes will be promoted. */
    public String expected() {
        return candidates.get(0);
    }

    @Override
    public StepId id() {
        return StepId.of("promote-replica", unit.name());
    }

    @Override
    public Action action() {
        return Action.UPDATE;
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
        return StepKinds.sorted(Stream.concat(Stream.of(lostNode), candidates.stream()).toList());
    }

    @Override
    public String describe() {
        if (candidates.size() == 1) {
            return unit.describe() + " on lost " + lostNode + " will fail over to its replica on " + expected();
        }
        return unit.describe() + " on lost " + lostNode + " will fail over to the most advanced of its replicas on "
                + String.join(", ", candidates) + " (planned: " + expected() + ")";
    }

    @Override
    public DataMovement dataMovement() {
        return DataMovement.PROMOTION;
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.removeReplica(unit, expected());
        state.setPrimary(unit, lostNode, expected());
    }
}
