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
 * given states mentions, plus every server named {@code shardman_node_%}; grants on local partitions
 * and shared data tables only to the node's application role (its {@code conninfo} user) in any of
 * the states, and on parents and shared views only to the roles of the table's {@code grants}
 * ({@code specGrantRoles}). Objects outside the
 * scope (a user's own tables or indexes) are never observed, so never dropped. Local tables that
 * a state places as a replica on this node are observed as {@link ReplicaTable}s when they are not
 * attached to a parent ({@code replicaParents}).
 */
record InspectionScope(boolean includesNode, Set<TableName> parents, Set<TableName> partitions, Set<TableName> indexes,
                       Map<TableName, TableName> replicaParents, Map<TableName, TableName> sharedViews, Set<TableName> sharedData,
                       Set<String> grantRoles, Map<TableName, Set<String>> specGrantRoles) {
    InspectionScope {
        specGrantRoles = Map.copyOf(specGrantRoles);
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
        Map<TableName, Set<String>> specGrantRoles = new HashMap<>();
        boolean includesNode = false;
        for (ClusterState state : states) {
            includesNode |= state.node(node).isPresent();
            state.node(node).flatMap(ForeignServerContributor::applicationRole).ifPresent(grantRoles::add);
            Set<String> replicasHere = state.replicas().stream().filter(replica -> replica.node().equals(node))
                    .map(ReplicaState::partition).collect(Collectors.toSet());
            for (TableState table : state.tables()) {
                specGrantRoles.computeIfAbsent(new TableName(table.schema(), table.name()), name -> new TreeSet<>()).addAll(table.grants().keySet());
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
        return new InspectionScope(includesNode, parents, partitions, indexes, replicaParents, sharedViews, sharedData, grantRoles, specGrantRoles);
    }

    /** Whether shardman manages {@code role}'s privileges on {@code table}, so an observed grant is reported. */
    boolean managesGrant(TableName table, String role) {
        if (parents.contains(table) || sharedViews.containsKey(table)) {
            return specGrantRoles.getOrDefault(table, Set.of()).contains(role);
        }
        return grantRoles.contains(role);
    }

    /** The roles whose privileges the inspector reads: application roles and spec roles. */
    Set<String> observedRoles() {
        Set<String> roles = new TreeSet<>(grantRoles);
        specGrantRoles.values().forEach(roles::addAll);
        return roles;
    }

    private static int compare(TableName left, TableName right) {
        int schema = left.schema().compareTo(right.schema());
        return schema != 0 ? schema : left.name().compareTo(right.name());
    }
}
