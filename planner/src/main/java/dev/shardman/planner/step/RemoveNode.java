package dev.shardman.planner.step;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Removes a node that holds nothing any more (drained, or lost and failed over) from the metadata. */
public record RemoveNode(String node, boolean lost) implements Step {
    public RemoveNode {
        requireNonNull(node, "node is null");
    }

    @Override
    public StepId id() {
        return StepId.of("remove-node", node);
    }

    @Override
    public Action action() {
        return Action.DELETE;
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
        return (lost ? "lost node " : "") + node + " will be removed from the cluster";
    }

    @Override
    public Set<OrderingRole> orderingRoles() {
        return Set.of(OrderingRole.NODE_LIFECYCLE);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.removeNode(node);
    }
}
