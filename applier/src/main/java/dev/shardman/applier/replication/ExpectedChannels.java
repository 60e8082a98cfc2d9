package dev.shardman.applier.replication;

import dev.shardman.applier.objects.TableName;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The channels a state needs, a pure function of it: one per (primary holder, replica holder) pair
 * with at least one replica, both nodes live (sorted by source then destination name); then, for
 * shared tables, one from each live master to every other live node.
 */
public final class ExpectedChannels {
    /** The schema of shared tables' data (SharedData.SCHEMA in applier.objects). */
    static final String SHARED_SCHEMA = "shardman_shared";

    private ExpectedChannels() {
    }

    public static List<Channel> of(ClusterState state) {
        Map<String, PartitionState> partitions = new HashMap<>();
        state.partitions().forEach(partition -> partitions.put(partition.name(), partition));
        Map<String, TableState> tables = new HashMap<>();
        state.tables().forEach(table -> tables.put(table.name(), table));
        Map<String, NodeState> nodes = new HashMap<>();
        state.nodes().forEach(node -> nodes.put(node.name(), node));
        TreeMap<String, TreeMap<String, TreeSet<TableName>>> bySource = new TreeMap<>();
        for (ReplicaState replica : state.replicas()) {
            PartitionState partition = partitions.get(replica.partition());
            if (partition == null || !tables.containsKey(partition.table())) {
                continue;
            }
            NodeState source = nodes.get(partition.node());
            NodeState destination = nodes.get(replica.node());
            if (source == null || destination == null || source.lost() || destination.lost() || source == destination) {
                continue;
            }
            bySource.computeIfAbsent(source.name(), name -> new TreeMap<>())
                    .computeIfAbsent(destination.name(), name -> new TreeSet<>())
                    .add(new TableName(tables.get(partition.table()).schema(), partition.name()));
        }
        List<Channel> channels = new ArrayList<>();
        bySource.forEach((source, destinations) -> destinations.forEach((destination, channelTables) ->
                channels.add(Channel.forReplicas(nodes.get(source), nodes.get(destination), List.copyOf(channelTables)))));
        channels.addAll(sharedChannels(state, nodes));
        return List.copyOf(channels);
    }

    /**
     * The fence of lost nodes: the subscription of every live replica holder from a lost node that is
     * still the primary holder of one of the partitions it replicates (not promoted yet). Such a
     * subscription is kept DISABLED (the stream is cut, so the lost node cannot stream its tail into the
     * replicas if it returns) and not dropped: its replication origin holds the received position that
     * ranks the candidates of the promotion. The last promotion drops it.
     */
    public static java.util.Set<String> fenced(ClusterState state) {
        Map<String, PartitionState> partitions = new HashMap<>();
        state.partitions().forEach(partition -> partitions.put(partition.name(), partition));
        Map<String, NodeState> nodes = new HashMap<>();
        state.nodes().forEach(node -> nodes.put(node.name(), node));
        java.util.Set<String> result = new TreeSet<>();
        for (ReplicaState replica : state.replicas()) {
            PartitionState partition = partitions.get(replica.partition());
            if (partition == null) {
                continue;
            }
            NodeState source = nodes.get(partition.node());
            NodeState destination = nodes.get(replica.node());
            if (source != null && destination != null && source.lost() && !destination.lost() && source != destination) {
                result.add(destination.name() + "/" + Channel.forReplicas(source, destination, List.of()).subscription());
            }
        }
        return result;
    }

    /** Each live master of shared tables publishes them to every other live node. */
    private static List<Channel> sharedChannels(ClusterState state, Map<String, NodeState> nodes) {
        TreeMap<String, TreeSet<TableName>> byMaster = new TreeMap<>();
        for (TableState table : state.tables()) {
            if (table.isSharded() || table.master().isEmpty()) {
                continue;
            }
            NodeState master = nodes.get(table.master().get());
            if (master != null && !master.lost()) {
                byMaster.computeIfAbsent(master.name(), name -> new TreeSet<>()).add(new TableName(SHARED_SCHEMA, table.name()));
            }
        }
        List<Channel> channels = new ArrayList<>();
        byMaster.forEach((master, tables) -> state.nodes().stream()
                .filter(node -> !node.lost() && !node.name().equals(master))
                .sorted(java.util.Comparator.comparing(NodeState::name))
                .forEach(node -> channels.add(Channel.forSharedTables(nodes.get(master), node, List.copyOf(tables)))));
        return channels;
    }
}
