package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;

/**
 * For each sharded table: the parent; for each partition n held here a local {@code t_n} with its
 * primary key {@code t_n_pkey}, indexes {@code <index>_<n>} and, when the node has a non-superuser
 * {@code conninfo}, SELECT/INSERT/UPDATE/DELETE on it for that role (peers reach it as that role);
 * for each partition held by a live peer a foreign {@code t_n_fdw} on {@code shardman_node_<holder id>}
 * (also when this node holds a replica: reads go to the primary); for each replica held here a
 * {@link ReplicaTable} {@code t_n} with the same primary key and indexes and no grant (no peer reaches
 * a replica through a foreign partition, and replicas are read-only). A partition whose holder is lost keeps its
 * foreign table on the holder's fenced server ({@link ForeignServer#fenced}); one whose holder is unknown stays empty.
 */
final class ShardedTableContributor implements ObjectContributor {
    @Override
    public void contribute(ClusterState state, NodeState node, Consumer<NodeObject> objects) {
        Set<String> replicasHere = state.replicas().stream().filter(replica -> replica.node().equals(node.name()))
                .map(ReplicaState::partition).collect(Collectors.toSet());
        for (TableState table : state.tables()) {
            if (!table.isSharded()) {
                continue;
            }
            TableName parent = new TableName(table.schema(), table.name());
            List<Column> columns = table.columns().stream()
                    .map(column -> new Column(column.name(), column.type(), column.nullable(), column.defaultExpression())).toList();
            objects.accept(new ParentTable(parent, columns, table.shardingKey().orElseThrow(() -> new IllegalArgumentException("sharded table " + table.name() + " has no sharding key"))));
            SharedTableContributor.specGrants(table, parent, objects);
            for (PartitionState partition : state.partitionsOf(table.name())) {
                Optional<PartitionSlot> slot = Optional.of(new PartitionSlot(parent, table.partitions(), partition.index()));
                if (replicasHere.contains(partition.name())) {
                    addReplica(table, parent, columns, partition.name(), partition.index(), node.name(), objects);
                }
                if (partition.node().equals(node.name())) {
                    addLocal(table, parent.sibling(partition.name()), partition.index(), slot, objects);
                    ForeignServerContributor.applicationRole(node)
                            .ifPresent(role -> objects.accept(PartitionGrant.full(parent.sibling(partition.name()), role)));
                } else {
                    // a lost holder's partition keeps its foreign table on the fenced server: its keys fail until the failover
                    state.node(partition.node()).ifPresent(holder -> objects.accept(
                            new ForeignPartition(parent.sibling(ForeignPartition.nameFor(partition.name())), slot,
                                    ForeignServer.nameFor(holder.id()), table.schema(), partition.name())));
                }
            }
        }
    }

    private static void addReplica(TableState table, TableName parent, List<Column> columns, String partition, int index, String node,
                                   Consumer<NodeObject> objects) {
        TableName replica = parent.sibling(partition);
        objects.accept(new ReplicaTable(replica, parent, node, columns));
        addKeys(table, replica, index, objects);
    }

    private static void addLocal(TableState table, TableName partition, int index, Optional<PartitionSlot> slot, Consumer<NodeObject> objects) {
        objects.accept(new LocalPartition(partition, slot));
        addKeys(table, partition, index, objects);
    }

    private static void addKeys(TableState table, TableName partition, int index, Consumer<NodeObject> objects) {
        if (!table.primaryKey().isEmpty()) {
            objects.accept(new PrimaryKey(partition, PrimaryKey.nameFor(partition.name()), table.primaryKey()));
        }
        for (IndexState indexState : table.indexes()) {
            objects.accept(new PartitionIndex(partition, PartitionIndex.nameFor(indexState.name(), index), indexState.columns(), indexState.unique()));
        }
    }
}
