package dev.shardman.planner.graph;

import dev.shardman.planner.step.CreateReplicationChannel;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.PartitionPlacement;
import dev.shardman.planner.step.Step;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A new replication channel exists before data moves and before a new table places replicas that need it. */
public final class ChannelCreatedBeforeUse implements EdgeRule {
    @Override
    public List<Edge> edges(List<Step> steps) {
        List<CreateReplicationChannel> channels = StepFilters.ofType(steps, CreateReplicationChannel.class);
        List<Edge> edges = new ArrayList<>();
        if (channels.isEmpty()) {
            return edges;
        }
        Optional<Step> first = DataMovementChain.first(steps);
        for (CreateReplicationChannel channel : channels) {
            first.ifPresent(step -> edges.add(edge(channel, step)));
        }
        for (CreateShardedTable table : StepFilters.ofType(steps, CreateShardedTable.class)) {
            Set<String> pairs = new HashSet<>();
            for (PartitionPlacement placement : table.placements()) {
                placement.replicas().forEach(replica -> pairs.add(placement.primary() + "->" + replica));
            }
            for (CreateReplicationChannel channel : channels) {
                if (pairs.contains(channel.source() + "->" + channel.destination())) {
                    edges.add(edge(channel, table));
                }
            }
        }
        return edges;
    }
}
