package dev.shardman.applier.objects;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names that the inspector looks at on one node: every parent {@code schema.t}, partition
 * {@code t_n}, foreign partition {@code t_n_fdw} and index {@code <index>_<n>} that any of the
 * given states mentions, plus every server named {@code shardman_node_%}; grants on those partitions
 * only to the node's application role (its {@code conninfo} user) in any of the states. Objects outside the
 * scope (a user's own tables or indexes) are never observed, so never dropped. Local tables that
 * a state places as a replica on this node are observed as {@link ReplicaTable}s when they are not
 * attached to a parent ({@code replicaParents}).
 */
record InspectionScope(boolean includesNode, Set<TableName> parents, Set<TableName> partitions, Set<TableName> indexes,
                       Map<TableName, TableName> replicaParents, Map<TableName, TableName> sharedViews, Set<TableName> sharedData,
                       Set<String> grantRoles) {
    InspectionScope {
        replicaParents = Map.copyOf(replicaParents);
        sharedViews = Map.copyOf(sharedViews);
        sharedData = Set.copyOf(sharedData);
        grantRoles = Set.copyOf(grantRoles);
        parents = Set.copyOf(parents);
        partitions = Set.copyOf(partitions);
        indexes = Set.copyOf(indexes);
    }

    static InspectionScope of(String node, Collection<ClusterState> states) {
        Set<TableName> parents = new TreeSet<>(InspectionScope::compare);
        Set<TableName> partitions = new TreeSet<>(InspectionScope::compare);
        Set<TableName> indexes = new TreeSet<>(InspectionScope::compare);
        Map<TableName, TableName> replicaParents = new HashMap<>();
        Map<TableName, TableName> sharedViews = new HashMap<>();
        Set<TableName> sharedData = new TreeSet<>(InspectionScope::compare);
        Set<String> grantRoles = new TreeSet<>();
        boolean includesNode = false;
        for (ClusterState state : states) {
            includesNode |= state.node(node).isPresent();
            state.node(node).flatMap(ForeignServerContributor::applicationRole).ifPresent(grantRoles::add);
            Set<String> replicasHere = state.replicas().stream().filter(replica -> replica.node().equals(node))
                    .map(ReplicaState::partition).collect(Collectors.toSet());
            for (TableState table : state.tables()) {
                if (!table.isSharded()) {
                    TableName data = SharedData.nameFor(table.name());
                    sharedViews.put(new TableName(table.schema(), table.name()), data);
                    sharedData.add(data);
                    indexes.add(data.sibling(PrimaryKey.nameFor(table.name())));
                    continue;
                }
                TableName parent = new TableName(table.schema(), table.name());
                parents.add(parent);
                for (int index = 0; index < table.partitions(); index++) {
                    String partition = DerivedNames.partition(table.name(), index);
                    partitions.add(parent.sibling(ForeignPartition.nameFor(partition)));
                    partitions.add(parent.sibling(partition));
                    if (replicasHere.contains(partition)) {
                        replicaParents.put(parent.sibling(partition), parent);
                    }
                    indexes.add(parent.sibling(PrimaryKey.nameFor(partition)));
                    for (IndexState indexState : table.indexes()) {
                        indexes.add(parent.sibling(PartitionIndex.nameFor(indexState.name(), index)));
                    }
                }
            }
        }
        return new InspectionScope(includesNode, parents, partitions, indexes, replicaParents, sharedViews, sharedData, grantRoles);
    }

    private static int compare(TableName left, TableName right) {
        int schema = left.schema().compareTo(right.schema());
        return schema != 0 ? schema : left.name().compareTo(right.name());
    }
}
