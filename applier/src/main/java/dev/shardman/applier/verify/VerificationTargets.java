package dev.shardman.applier.verify;

import dev.shardman.applier.objects.SharedData;
import dev.shardman.applier.replication.Channel;
import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a state says must be equal, a pure function of it: every source copy (each partition's
 * primary in the table's schema, each shared table's rows in {@code shardman_shared} on its master),
 * each with the copies replication keeps equal to it (replicas on live nodes, the shared table's copy
 * on every other live node). Sources on a lost node cannot be read: they are listed apart.
 */
record VerificationTargets(List<Source> sources, List<CopyPair> pairs, List<ReadError> unreadable) {
    /** A source copy as the report names it. */
    record Source(Comparison.Kind kind, String table, String name, CopyLocation location) {
        Source {
            requireNonNull(kind, "kind is null");
            requireNonNull(table, "table is null");
            requireNonNull(name, "name is null");
            requireNonNull(location, "location is null");
        }
    }

    VerificationTargets {
        sources = List.copyOf(sources);
        pairs = List.copyOf(pairs);
        unreadable = List.copyOf(unreadable);
    }

    static VerificationTargets of(ClusterState state) {
        Map<String, String> slots = new HashMap<>();
        for (Channel channel : ExpectedChannels.of(state)) {
            slots.put(key(channel.shared(), channel.source().name(), channel.destination().name()), channel.subscription());
        }
        List<Source> sources = new ArrayList<>();
        List<CopyPair> pairs = new ArrayList<>();
        List<ReadError> unreadable = new ArrayList<>();
        for (TableState table : state.tables()) {
            List<String> columns = table.columns().stream().map(ColumnState::name).toList();
            if (table.isSharded()) {
                for (PartitionState partition : state.partitionsOf(table.name())) {
                    CopyLocation primary = new CopyLocation(partition.node(), table.schema(), partition.name(), columns);
                    if (lost(state, partition.node())) {
                        unreadable.add(new ReadError(partition.node(), partition.name(), "the primary's node is marked lost; apply its failover first"));
                        continue;
                    }
                    sources.add(new Source(Comparison.Kind.REPLICA, table.name(), partition.name(), primary));
                    for (String holder : state.replicaNodesOf(partition.name())) {
                        if (!lost(state, holder)) {
                            pairs.add(new CopyPair(Comparison.Kind.REPLICA, table.name(), partition.name(), primary,
                                    new CopyLocation(holder, table.schema(), partition.name(), columns),
                                    slots.getOrDefault(key(false, partition.node(), holder), "")));
                        }
                    }
                }
            } else if (table.master().isPresent() && !lost(state, table.master().get())) {
                String master = table.master().get();
                CopyLocation rows = new CopyLocation(master, SharedData.SCHEMA, table.name(), columns);
                sources.add(new Source(Comparison.Kind.SHARED_COPY, table.name(), table.name(), rows));
                for (NodeState node : state.nodes()) {
                    if (!node.lost() && !node.name().equals(master)) {
                        pairs.add(new CopyPair(Comparison.Kind.SHARED_COPY, table.name(), table.name(), rows,
                                new CopyLocation(node.name(), SharedData.SCHEMA, table.name(), columns),
                                slots.getOrDefault(key(true, master, node.name()), "")));
                    }
                }
            }
        }
        return new VerificationTargets(sources, pairs, unreadable);
    }

    private static boolean lost(ClusterState state, String node) {
        return state.node(node).map(NodeState::lost).orElse(true);
    }

    private static String key(boolean shared, String source, String destination) {
        return (shared ? "shared " : "replica ") + source + " " + destination;
    }
}
