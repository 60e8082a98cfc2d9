package dev.shardman.planner;

import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.ChangeRedundancy;
import dev.shardman.planner.step.ChangeGrants;
import dev.shardman.planner.step.ChangeSharedMaster;
import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.CreateReplicationChannel;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.CreateSharedTable;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.DropReplicationChannel;
import dev.shardman.planner.step.DropShardedTable;
import dev.shardman.planner.step.DropSharedTable;
import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionPlacement;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.step.RecreateIndex;
import dev.shardman.planner.step.RecreatePartition;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepVisitor;
import dev.shardman.planner.step.UpdateNode;
import dev.shardman.planner.step.UpdateSettings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The state a plan leads to: the plan's steps applied, in order, to the metadata they were planned
 * from (what {@code --out-state} writes). Each step commits one serial, so the result's serial is the
 * start serial plus the number of steps; a new cluster gets a lineage derived from its name, so the
 * projection is deterministic. Every step is checked against the invariants (never two copies of a
 * partition on one node; moves start where the data is): a violation is a planner bug and throws
 * {@link IllegalStateException}.
 */
public final class StateProjection {
    private StateProjection() {
    }

    public static ClusterState project(ClusterState state, Plan plan) {
        if (plan.isEmpty()) {
            return state;
        }
        Working working = new Working(state);
        for (PlannedStep planned : plan.steps()) {
            planned.step().accept(working);
        }
        String lineage = state.lineage().isEmpty() ? lineageFor(plan.header().cluster()) : state.lineage();
        return working.toState(lineage, state.serial() + plan.steps().size());
    }

    /**
     * The state after one step: {@code step} applied to {@code state}, at serial + 1 with the same
     * lineage (the applier commits one serial per step). Throws {@link IllegalStateException} when
     * the step breaks an invariant of {@code state}.
     */
    public static ClusterState apply(ClusterState state, Step step) {
        Working working = new Working(state);
        step.accept(working);
        return working.toState(state.lineage(), state.serial() + 1);
    }

    /** The lineage a new cluster of this name gets in a projection (the applier records it when it creates the shardlord schema). */
    public static String lineageFor(String cluster) {
        return UUID.nameUUIDFromBytes(("shardman:" + cluster).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static final class Working implements StepVisitor<Void> {
        private final Map<String, NodeState> nodes = new LinkedHashMap<>();
        private final Map<String, TableState> tables = new LinkedHashMap<>();
        private final Map<String, String[]> primaries = new HashMap<>();
        private final Map<String, List<TreeSet<String>>> replicas = new HashMap<>();
        private ClusterSettings settings;
        private final PartitionBytes bytes;
        /** Partitions the plan creates or re-creates empty: their size is 0 whatever the state recorded. */
        private final Set<String> emptied = new HashSet<>();

        Working(ClusterState state) {
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

        private void allocate(TableState table) {
            primaries.put(table.name(), new String[table.partitions()]);
            List<TreeSet<String>> sets = new ArrayList<>(table.partitions());
            for (int i = 0; i < table.partitions(); i++) {
                sets.add(new TreeSet<>());
            }
            replicas.put(table.name(), sets);
        }

        ClusterState toState(String lineage, long serial) {
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

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalStateException("the plan breaks an invariant: " + message);
            }
        }

        private void requireLiveNode(String node) {
            check(nodes.containsKey(node) && !nodes.get(node).lost(), node + " is not a live node");
        }

        private void setPrimary(PartitionUnit unit, String expectedHolder, String newHolder) {
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

        private void addReplica(PartitionUnit unit, String node) {
            requireLiveNode(node);
            for (String table : unit.tables()) {
                check(!node.equals(primaries.get(table)[unit.index()]), "replica of " + PartitionState.name(table, unit.index()) + " on its primary's node " + node);
                check(replicas.get(table).get(unit.index()).add(node), "two replicas of " + PartitionState.name(table, unit.index()) + " on " + node);
            }
        }

        private void removeReplica(PartitionUnit unit, String node) {
            for (String table : unit.tables()) {
                check(replicas.get(table).get(unit.index()).remove(node), "no replica of " + PartitionState.name(table, unit.index()) + " on " + node);
            }
        }

        private void changeTable(String name, UnaryOperator<TableState> change) {
            check(tables.containsKey(name), "no table " + name);
            tables.put(name, change.apply(tables.get(name)));
        }

        private static <T> List<T> replaced(List<T> list, java.util.function.Predicate<T> match, T replacement) {
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

        @Override
        public Void visit(RegisterNode step) {
            check(!nodes.containsKey(step.node().name()), "node " + step.node().name() + " registered twice");
            nodes.put(step.node().name(), step.node());
            return null;
        }

        @Override
        public Void visit(CreateForeignServers step) {
            return null;
        }

        @Override
        public Void visit(UpdateNode step) {
            check(nodes.containsKey(step.to().name()), "no node " + step.to().name());
            nodes.put(step.to().name(), step.to());
            return null;
        }

        @Override
        public Void visit(UpdateSettings step) {
            check(settings.equals(step.from()), "the settings are " + settings + ", not " + step.from());
            settings = step.to();
            return null;
        }

        @Override
        public Void visit(MarkNodeLost step) {
            check(nodes.containsKey(step.node()), "no node " + step.node());
            nodes.put(step.node(), nodes.get(step.node()).withLost(true));
            replicas.values().forEach(sets -> sets.forEach(set -> set.remove(step.node())));
            return null;
        }

        @Override
        public Void visit(DropForeignServers step) {
            return null;
        }

        @Override
        public Void visit(RemoveNode step) {
            check(primaries.values().stream().noneMatch(holders -> java.util.Arrays.asList(holders).contains(step.node())),
                    step.node() + " still holds a primary");
            check(replicas.values().stream().flatMap(List::stream).noneMatch(set -> set.contains(step.node())), step.node() + " still holds a replica");
            check(nodes.remove(step.node()) != null, "no node " + step.node());
            return null;
        }

        @Override
        public Void visit(CreateReplicationChannel step) {
            return null;
        }

        @Override
        public Void visit(DropReplicationChannel step) {
            return null;
        }

        @Override
        public Void visit(PromoteReplica step) {
            removeReplica(step.unit(), step.expected());
            setPrimary(step.unit(), step.lostNode(), step.expected());
            return null;
        }

        @Override
        public Void visit(RecreatePartition step) {
            setPrimary(step.unit(), step.lostNode(), step.node());
            step.unit().tables().forEach(table -> emptied.add(PartitionState.name(table, step.unit().index())));
            return null;
        }

        @Override
        public Void visit(CreateReplica step) {
            addReplica(step.unit(), step.node());
            return null;
        }

        @Override
        public Void visit(DropReplica step) {
            removeReplica(step.unit(), step.node());
            return null;
        }

        @Override
        public Void visit(MovePrimary step) {
            setPrimary(step.unit(), step.from(), step.to());
            return null;
        }

        @Override
        public Void visit(MoveReplica step) {
            removeReplica(step.unit(), step.from());
            addReplica(step.unit(), step.to());
            return null;
        }

        @Override
        public Void visit(CreateShardedTable step) {
            check(!tables.containsKey(step.table().name()), "table " + step.table().name() + " created twice");
            tables.put(step.table().name(), step.table());
            allocate(step.table());
            for (PartitionPlacement placement : step.placements()) {
                emptied.add(PartitionState.name(step.table().name(), placement.index()));
                PartitionUnit unit = new PartitionUnit(List.of(step.table().name()), placement.index());
                setPrimary(unit, null, placement.primary());
                placement.replicas().forEach(node -> addReplica(unit, node));
            }
            return null;
        }

        @Override
        public Void visit(DropShardedTable step) {
            check(tables.remove(step.table().name()) != null, "no table " + step.table().name());
            primaries.remove(step.table().name());
            replicas.remove(step.table().name());
            return null;
        }

        @Override
        public Void visit(ChangeRedundancy step) {
            changeTable(step.table(), table -> table.withRedundancy(step.to()));
            return null;
        }

        @Override
        public Void visit(CreateSharedTable step) {
            check(!tables.containsKey(step.table().name()), "table " + step.table().name() + " created twice");
            tables.put(step.table().name(), step.table());
            return null;
        }

        @Override
        public Void visit(DropSharedTable step) {
            check(tables.remove(step.table().name()) != null, "no table " + step.table().name());
            return null;
        }

        @Override
        public Void visit(ChangeSharedMaster step) {
            requireLiveNode(step.to());
            changeTable(step.table(), table -> table.withMaster(step.to()));
            return null;
        }

        @Override
        public Void visit(ChangeGrants step) {
            changeTable(step.table(), table -> table.withGrants(step.to()));
            return null;
        }

        @Override
        public Void visit(AddColumn step) {
            changeTable(step.table(), table -> table.withColumns(replaced(table.columns(), column -> column.name().equals(step.column().name()), step.column())));
            return null;
        }

        @Override
        public Void visit(AlterColumn step) {
            changeTable(step.table(), table -> table.withColumns(replaced(table.columns(), column -> column.name().equals(step.to().name()), step.to())));
            return null;
        }

        @Override
        public Void visit(DropColumn step) {
            changeTable(step.table(), table -> table.withColumns(replaced(table.columns(), (ColumnState column) -> column.name().equals(step.column().name()), null)));
            return null;
        }

        @Override
        public Void visit(CreateIndex step) {
            changeTable(step.table(), table -> table.withIndexes(replaced(table.indexes(), index -> index.name().equals(step.index().name()), step.index())));
            return null;
        }

        @Override
        public Void visit(RecreateIndex step) {
            changeTable(step.table(), table -> table.withIndexes(replaced(table.indexes(), index -> index.name().equals(step.to().name()), step.to())));
            return null;
        }

        @Override
        public Void visit(DropIndex step) {
            changeTable(step.table(), table -> table.withIndexes(replaced(table.indexes(), (IndexState index) -> index.name().equals(step.index().name()), null)));
            return null;
        }
    }
}
