package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.TableState;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names that the inspector looks at on one node: every parent {@code schema.t}, partition
 * {@code t_n}, foreign partition {@code t_n_fdw} and index {@code <index>_<n>} that any of the
 * given states mentions, plus every server named {@code shardman_node_%}; grants on those partitions
 * only to the node's application role (its {@code conninfo} user) in any of the states. Objects outside the
 * scope (a user's own tables or indexes) are never observed, so never dropped. Local tables that
 * a state places as a replica on this node stay out of scope until replica objects exist.
 */
record InspectionScope(boolean includesNode, Set<TableName> parents, Set<TableName> partitions, Set<TableName> indexes,
                       Set<String> grantRoles) {
    InspectionScope {
        grantRoles = Set.copyOf(grantRoles);
        parents = Set.copyOf(parents);
        partitions = Set.copyOf(partitions);
        indexes = Set.copyOf(indexes);
    }

    static InspectionScope of(String node, Collection<ClusterState> states) {
        Set<TableName> parents = new TreeSet<>(InspectionScope::compare);
        Set<TableName> partitions = new TreeSet<>(InspectionScope::compare);
        Set<TableName> indexes = new TreeSet<>(InspectionScope::compare);
        Set<String> grantRoles = new TreeSet<>();
        boolean includesNode = false;
        for (ClusterState state : states) {
            includesNode |= state.node(node).isPresent();
            state.node(node).flatMap(ForeignServerContributor::applicationRole).ifPresent(grantRoles::add);
            for (TableState table : state.tables()) {
                if (!table.isSharded()) {
                    continue;
                }
                TableName parent = new TableName(table.schema(), table.name());
                parents.add(parent);
                for (int index = 0; index < table.partitions(); index++) {
                    String partition = table.name() + "_" + index;
                    partitions.add(parent.sibling(ForeignPartition.nameFor(partition)));
                    if (!state.replicaNodesOf(partition).contains(node)) {
                        partitions.add(parent.sibling(partition));
                        indexes.add(parent.sibling(PrimaryKey.nameFor(partition)));
                        for (IndexState indexState : table.indexes()) {
                            indexes.add(parent.sibling(PartitionIndex.nameFor(indexState.name(), index)));
                        }
                    }
                }
            }
        }
        return new InspectionScope(includesNode, parents, partitions, indexes, grantRoles);
    }

    private static int compare(TableName left, TableName right) {
        int schema = left.schema().compareTo(right.schema());
        return schema != 0 ? schema : left.name().compareTo(right.name());
    }
}
