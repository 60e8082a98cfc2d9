package dev.shardman.planner.graph;

import dev.shardman.planner.step.DropReplicationChannel;
import dev.shardman.planner.step.OrderingRole;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.List;

/** A replication channel no replica needs is dropped after data moves and after the replica drops that emptied it. */
public final class ChannelDroppedAfterLastUse implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<DropReplicationChannel> channels = StepFilters.ofType(steps, DropReplicationChannel.class);
        List<Edge> edges = new ArrayList<>();
        if (channels.isEmpty()) {
            return edges;
        }
        DataMovementChain.last(steps).ifPresent(last -> channels.forEach(channel -> edges.add(edge(last, channel))));
        for (Step step : steps) {
            if (step.orderingRoles().contains(OrderingRole.SHRINK)) {
                for (DropReplicationChannel channel : channels) {
                    if (step.nodes().contains(channel.source()) && step.nodes().contains(channel.destination())) {
                        edges.add(edge(step, channel));
                    }
                }
            }
        }
        return edges;
    }
}
