package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.RegisterNode;

import java.sql.SQLException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Registers a node: its server must meet {@link NodeRequirements}; its system identifier is recorded
 * and must not belong to another registered node (the same server twice would hold two copies of a
 * partition in one place). postgres_fdw, the parents and the foreign servers come from the expected
 * objects of the state after.
 */
record RegisterNodeExecutor(RegisterNode step) implements StepExecutor {
    RegisterNodeExecutor {
        requireNonNull(step, "step is null");
    }

    @Override
    public boolean joinsRounds() {
        return true;
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) throws SQLException {
        NodeState node = step.node();
        String systemIdentifier = NodeRequirements.check(nodes.connect(node), node.name());
        ClusterMembership.require(nodes.connect(node), node.name());
        Optional<NodeState> sameServer = before.nodes().stream()
                .filter(other -> !other.name().equals(node.name()) && other.systemIdentifier().equals(Optional.of(systemIdentifier)))
                .findFirst();
        if (sameServer.isPresent()) {
            throw new ShardmanException(ErrorCode.REFUSED, node.name() + " is the same server (system identifier " + systemIdentifier
                    + ") as the registered node " + sameServer.get().name(),
                    sameServer.get().lost()
                            ? sameServer.get().name() + " is marked lost and this is its server back: run wipe-state --node "
                                    + sameServer.get().name() + ", then apply a cluster.yaml without " + sameServer.get().name() + " that lists the server as "
                                    + node.name() + " (" + sameServer.get().name() + " leaves first)"
                            : "give " + node.name() + " the conninfo of another server in cluster.yaml");
        }
        NodeState identified = new NodeState(node.id(), node.name(), Optional.of(systemIdentifier), node.superConninfo(), node.conninfo(),
                node.replicationGroup(), node.lost());
        return StateProjection.apply(before, new RegisterNode(identified));
    }
}
