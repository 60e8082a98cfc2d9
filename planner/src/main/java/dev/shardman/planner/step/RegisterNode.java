package dev.shardman.planner.step;

import dev.shardman.model.state.NodeState;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Adds a node to the metadata and prepares its catalogs: the parents of the sharded tables (with
 * foreign partitions), the copies of the shared tables. Foreign servers come in {@link CreateForeignServers}.
 */
public record RegisterNode(NodeState node) implements Step {
    public RegisterNode {
        requireNonNull(node, "node is null");
    }

    @Override
    public StepId id() {
        return StepId.of("register-node", node.name());
    }

    @Override
    public Action action() {
        return Action.CREATE;
    }

    @Override
    public String subject() {
        return "node " + node.name();
    }

    @Override
    public List<String> nodes() {
        return List.of(node.name());
    }

    @Override
    public String describe() {
        return node.name() + " will be registered in replication group " + node.replicationGroup();
    }

    @Override
    public Set<OrderingRole> orderingRoles() {
        return Set.of(OrderingRole.NODE_LIFECYCLE);
    }

    @Override
    public void applyTo(ProjectedState state) {
        state.registerNode(node);
    }
}
