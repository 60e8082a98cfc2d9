package dev.shardman.planner.step;

import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The state a plan leads to while its steps are applied one by one ({@link Step#applyTo}): mutable, and
 * narrow on purpose. Outside this package one can only start it from a state and read the result; the
 * changes (package-private) are the steps' own. Every change checks the invariants (never two copies of a
 * partition on one node; moves start where the data is): a violation is a planner bug and throws
 * {@link IllegalStateException}.
 */
public final class ProjectedState {
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private final Map<String, TableState> tables = new LinkedHashMap<>();
    private final Map<String, String[]> primaries = new HashMap<>();
    private final Map<String, List<TreeSet<String>>> replicas = new HashMap<>();
    private ClusterSettings settings;
    private final PartitionBytes bytes;
    /** Partitions the plan creates or re-creates empty: their size is 0 whatever the state recorded. */
    private final Set<String> emptied = new HashSet<>();

    private ProjectedState(ClusterState state) {
        settings = state.settings();
        bytes = state.partitionBytes();
        state.nodes().forEach(node -> nodes.put(node.name(), node));
        for (TableState table : state.tables()) {
            tables.put(table.name(), table);
            if (table.isSharded()) {
                allocate(table);
            }
        }
        for (PartitionState partition : state.partitions()) {
            primaries.get(partition.table())[partition.index()] = partition.node();
        }
        Map<String, PartitionState> byName = new HashMap<>();
        state.partitions().forEach(partition -> byName.put(partition.name(), partition));
        for (ReplicaState replica : state.replicas()) {
            PartitionState partition = byName.get(replica.partition());
            replicas.get(partition.table()).get(partition.index()).add(replica.node());
        }
    }

    /** A projection that starts at {@code state}. */
    public static ProjectedState from(ClusterState state) {
        return new ProjectedState(state);
    }

    /** The state reached so far, with the given lineage and serial. */
    public ClusterState toState(String lineage, long serial) {
        List<NodeState> nodeList = nodes.values().stream().sorted(Comparator.comparingLong(NodeState::id)).toList();
        List<PartitionState> partitionList = new ArrayList<>();
        List<ReplicaState> replicaList = new ArrayList<>();
        for (TableState table : tables.values()) {
            if (!table.isSharded()) {
                continue;
            }
            String[] holders = primaries.get(table.name());
            for (int index = 0; index < holders.length; index++) {
                check(holders[index] != null, "partition " + PartitionState.name(table.name(), index) + " has no holder");
                partitionList.add(new PartitionState(table.name(), index, holders[index]));
                for (String node : replicas.get(table.name()).get(index)) {
                    replicaList.add(new ReplicaState(PartitionState.name(table.name(), index), node));
                }
            }
        }
        return new ClusterState(lineage, serial, nodeList, List.copyOf(tables.values()), partitionList, replicaList, settings,
                projectedBytes(partitionList));
    }

    /** Known sizes follow their partitions (moves keep them); a new or re-created partition has 0 bytes. */
    private PartitionBytes projectedBytes(List<PartitionState> partitionList) {
        if (!bytes.known()) {
            return PartitionBytes.UNKNOWN;
        }
        Map<String, Long> projected = new HashMap<>();
        for (PartitionState partition : partitionList) {
            String name = partition.name();
            projected.put(name, emptied.contains(name) ? 0L : bytes.of(name).orElse(0L));
        }
        return PartitionBytes.of(projected);
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("the plan breaks an invariant: " + message);
        }
    }

    // nodes and settings

    void registerNode(NodeState node) {
        check(!nodes.containsKey(node.name()), "node " + node.name() + " registered twice");
        nodes.put(node.name(), node);
    }

    void updateNode(NodeState node) {
        check(nodes.containsKey(node.name()), "no node " + node.name());
        nodes.put(node.name(), node);
    }

    /** The node is kept, marked lost; the replicas it held are gone. */
    void markNodeLost(String node) {
        check(nodes.containsKey(node), "no node " + node);
        nodes.put(node, nodes.get(node).withLost(true));
        replicas.values().forEach(sets -> sets.forEach(set -> set.remove(node)));
    }

    void removeNode(String node) {
        check(primaries.values().stream().noneMatch(holders -> Arrays.asList(holders).contains(node)), node + " still holds a primary");
        check(replicas.values().stream().flatMap(List::stream).noneMatch(set -> set.contains(node)), node + " still holds a replica");
        check(nodes.remove(node) != null, "no node " + node);
    }

    void requireLiveNode(String node) {
        check(nodes.containsKey(node) && !nodes.get(node).lost(), node + " is not a live node");
    }

    void changeSettings(ClusterSettings from, ClusterSettings to) {
        check(settings.equals(from), "the settings are " + settings + ", not " + from);
        settings = to;
    }

    // partition copies

    /** Moves the primary of {@code unit} from {@code expectedHolder} (null: a new partition) to {@code newHolder}. */
    void setPrimary(PartitionUnit unit, String expectedHolder, String newHolder) {
        requireLiveNode(newHolder);
        for (String table : unit.tables()) {
            String[] holders = primaries.get(table);
            check(holders != null && unit.index() < holders.length, "no partition " + unit.index() + " of " + table);
            check(expectedHolder == null || expectedHolder.equals(holders[unit.index()]),
                    PartitionState.name(table, unit.index()) + " is on " + holders[unit.index()] + ", not " + expectedHolder);
            check(!replicas.get(table).get(unit.index()).contains(newHolder), "two copies of " + PartitionState.name(table, unit.index()) + " on " + newHolder);
            holders[unit.index()] = newHolder;
        }
    }

    void addReplica(PartitionUnit unit, String node) {
        requireLiveNode(node);
        for (String table : unit.tables()) {
            check(!node.equals(primaries.get(table)[unit.index()]), "replica of " + PartitionState.name(table, unit.index()) + " on its primary's node " + node);
            check(replicas.get(table).get(unit.index()).add(node), "two replicas of " + PartitionState.name(table, unit.index()) + " on " + node);
        }
    }

    void removeReplica(PartitionUnit unit, String node) {
        for (String table : unit.tables()) {
            check(replicas.get(table).get(unit.index()).remove(node), "no replica of " + PartitionState.name(table, unit.index()) + " on " + node);
        }
    }

    /** The unit's partitions start empty (created or re-created): their projected size is 0. */
    void markEmpty(PartitionUnit unit) {
        unit.tables().forEach(table -> emptied.add(PartitionState.name(table, unit.index())));
    }

    // tables

    /** A new table; a sharded one gets its partitions, each without a holder until {@link #setPrimary} gives it one. */
    void addTable(TableState table) {
        check(!tables.containsKey(table.name()), "table " + table.name() + " created twice");
        tables.put(table.name(), table);
        if (table.isSharded()) {
            allocate(table);
        }
    }

    void dropTable(String name) {
        check(tables.remove(name) != null, "no table " + name);
        primaries.remove(name);
        replicas.remove(name);
    }

    void changeTable(String name, UnaryOperator<TableState> change) {
        check(tables.containsKey(name), "no table " + name);
        tables.put(name, change.apply(tables.get(name)));
    }

    /** Adds the column, or replaces the one of its name. */
    void putColumn(String table, ColumnState column) {
        changeTable(table, state -> state.withColumns(replaced(state.columns(), existing -> existing.name().equals(column.name()), column)));
    }

    void removeColumn(String table, String column) {
        changeTable(table, state -> state.withColumns(replaced(state.columns(), existing -> existing.name().equals(column), null)));
    }

    /** Adds the index, or replaces the one of its name. */
    void putIndex(String table, IndexState index) {
        changeTable(table, state -> state.withIndexes(replaced(state.indexes(), existing -> existing.name().equals(index.name()), index)));
    }

    void removeIndex(String table, String index) {
        changeTable(table, state -> state.withIndexes(replaced(state.indexes(), existing -> existing.name().equals(index), null)));
    }

    private void allocate(TableState table) {
        primaries.put(table.name(), new String[table.partitions()]);
        List<TreeSet<String>> sets = new ArrayList<>(table.partitions());
        for (int i = 0; i < table.partitions(); i++) {
            sets.add(new TreeSet<>());
        }
        replicas.put(table.name(), sets);
    }

    /** {@code list} with the items matching {@code match} replaced by {@code replacement} (null: removed), which is appended when none matched. */
    private static <T> List<T> replaced(List<T> list, Predicate<T> match, T replacement) {
        List<T> result = new ArrayList<>();
        boolean found = false;
        for (T item : list) {
            if (match.test(item)) {
                if (replacement != null) {
                    result.add(replacement);
                }
                found = true;
            } else {
                result.add(item);
            }
        }
        if (!found && replacement != null) {
            result.add(replacement);
        }
        return result;
    }
}
