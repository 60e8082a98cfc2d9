package dev.shardman.model.state;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The shardlord metadata: nodes, tables, partitions (primary holders) and replicas.
 *
 * <p>{@code lineage} identifies one cluster for its whole life (empty for a cluster not created yet);
 * {@code serial} grows with every committed change. The lists are in canonical order (nodes by id,
 * tables as created, partitions by table then index, replicas by partition then node) when made by
 * shardman; the lookups below scan the lists and are meant for tests and small tools: the planner
 * builds its own indexes. {@code settings} are the recorded {@link ClusterSettings} (defaults for a cluster
 * that never changed them). {@code partitionBytes} are not metadata: sizes read from the nodes for planning by size
 * ({@link PartitionBytes#UNKNOWN} in every state read from the shardlord; see {@link PartitionBytes}).
 */
public record ClusterState(
        String lineage,
        long serial,
        List<NodeState> nodes,
        List<TableState> tables,
        List<PartitionState> partitions,
        List<ReplicaState> replicas,
        ClusterSettings settings,
        PartitionBytes partitionBytes) {

    public ClusterState {
        requireNonNull(settings, "settings is null");
        requireNonNull(partitionBytes, "partitionBytes is null");
        requireNonNull(lineage, "lineage is null");
        if (serial < 0) {
            throw new IllegalArgumentException("serial must not be negative: " + serial);
        }
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
        replicas = List.copyOf(requireNonNull(replicas, "replicas is null"));
    }

    /** A state without partition sizes (every state read from the shardlord). */
    public ClusterState(String lineage, long serial, List<NodeState> nodes, List<TableState> tables, List<PartitionState> partitions,
                        List<ReplicaState> replicas, ClusterSettings settings) {
        this(lineage, serial, nodes, tables, partitions, replicas, settings, PartitionBytes.UNKNOWN);
    }

    /**
     * A new state with the default settings (tests, new clusters). Not a constructor on purpose: a state derived from
     * another must pass that state's settings on, or it silently reverts them (recover once rewrote sync replication so).
     */
    public static ClusterState withDefaultSettings(String lineage, long serial, List<NodeState> nodes, List<TableState> tables,
                                                   List<PartitionState> partitions, List<ReplicaState> replicas) {
        return new ClusterState(lineage, serial, nodes, tables, partitions, replicas, ClusterSettings.DEFAULTS);
    }

    /** This state with other settings. */
    public ClusterState withSettings(ClusterSettings newSettings) {
        return new ClusterState(lineage, serial, nodes, tables, partitions, replicas, newSettings, partitionBytes);
    }

    /** This state with the partition sizes read from the nodes (or from a snapshot). */
    public ClusterState withPartitionBytes(PartitionBytes newBytes) {
        return new ClusterState(lineage, serial, nodes, tables, partitions, replicas, settings, newBytes);
    }

    /** The state of a cluster that does not exist yet. */
    public static ClusterState empty() {
        return withDefaultSettings("", 0, List.of(), List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && tables.isEmpty();
    }

    public Optional<NodeState> node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
    }

    public Optional<TableState> table(String name) {
        return tables.stream().filter(table -> table.name().equals(name)).findFirst();
    }

    public List<PartitionState> partitionsOf(String table) {
        return partitions.stream().filter(partition -> partition.table().equals(table)).toList();
    }

    public Optional<PartitionState> partition(String table, int index) {
        return partitions.stream().filter(partition -> partition.table().equals(table) && partition.index() == index).findFirst();
    }

    /** Nodes holding a replica of the named partition, in the order of {@link #replicas()}. */
    public List<String> replicaNodesOf(String partitionName) {
        return replicas.stream().filter(replica -> replica.partition().equals(partitionName)).map(ReplicaState::node).toList();
    }
}
