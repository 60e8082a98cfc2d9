package dev.shardman.planner.step;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** Creates the foreign servers (and user mappings) from {@code node} to every peer and from every peer to it. */
public record CreateForeignServers(String node, List<String> peers) implements Step {
    public CreateForeignServers {
        requireNonNull(node, "node is null");
        peers = StepKinds.sorted(requireNonNull(peers, "peers is null"));
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("foreign servers of " + node + " need at least one peer");
        }
    }

    @Override
    public StepId id() {
        return StepId.of("create-foreign-servers", node);
    }

    @Override
    public Action action() {
        return Action.CREATE;
    }

    @Override
    public String subject() {
        return "node " + node;
    }

    @Override
    public List<String> nodes() {
        return StepKinds.sorted(Stream.concat(Stream.of(node), peers.stream()).toList());
    }

    @Override
    public String describe() {
        return "foreign servers between " + node + " and " + peers.size() + (peers.size() == 1 ? " peer" : " peers")
                + " (" + StepKinds.nodeList(peers) + ") will be created";
    }

    @Override
    public Set<OrderingRole> orderingRoles() {
        return Set.of(OrderingRole.NODE_LIFECYCLE);
    }

    @Override
    public void applyTo(ProjectedState state) {
        // the foreign servers follow from the nodes: the metadata does not change
    }
}
