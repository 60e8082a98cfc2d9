package dev.shardman.planner.step;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Records that a node is gone for good and fences it: its subscriptions on the survivors are cut
 * (DISABLE, slot_name NONE, DROP) before it can come back and stream its tail. Its replicas are
 * forgotten; its primaries are failed over by later steps.
 */
public record MarkNodeLost(String node, String replicationGroup) implements Step {
    public MarkNodeLost {
        requireNonNull(node, "node is null");
        requireNonNull(replicationGroup, "replicationGroup is null");
    }

    @Override
    public StepId id() {
        return StepId.of("mark-node-lost", node);
    }

    @Override
    public Action action() {
        return Action.UPDATE;
    }

    @Override
    public String subject() {
        return "node " + node;
    }

    @Override
    public List<String> nodes() {
        return List.of(node);
    }

    @Override
    public String describe() {
        return node + " will be marked lost and fenced (its replication is cut on the survivors)";
    }

    @Override
    public Set<OrderingRole> orderingRoles() {
        return Set.of(OrderingRole.FENCES_LOST_NODE);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.markNodeLost(node);
    }
}
