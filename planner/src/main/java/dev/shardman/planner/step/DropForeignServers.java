package dev.shardman.planner.step;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** Drops the foreign servers between a leaving node and its peers. */
public record DropForeignServers(String node, List<String> peers) implements Step {
    public DropForeignServers {
        requireNonNull(node, "node is null");
        peers = StepKinds.sorted(requireNonNull(peers, "peers is null"));
    }

    @Override
    public StepId id() {
        return StepId.of("drop-foreign-servers", node);
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
        return StepKinds.sorted(Stream.concat(Stream.of(node), peers.stream()).toList());
    }

    @Override
    public String describe() {
        return "foreign servers between " + node + " and " + peers.size() + (peers.size() == 1 ? " peer" : " peers") + " will be dropped";
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
