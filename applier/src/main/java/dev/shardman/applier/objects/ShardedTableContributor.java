package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * For each sharded table: the parent; for each partition n held here a local {@code t_n} with its
 * primary key {@code t_n_pkey}, indexes {@code <index>_<n>} and, when the node has a non-superuser
 * {@code conninfo}, SELECT/INSERT/UPDATE/DELETE on it for that role (peers reach it as that role); for each partition held by a live
 * peer a foreign {@code t_n_fdw} on {@code shardman_node_<holder id>}. Slots of partitions whose
 * holder is lost (or unknown) stay empty.
 */
final class ShardedTableContributor implements ObjectContributor {
    @Override
    public void contribute(ClusterState state, NodeState node, Consumer<NodeObject> objects) {
        for (TableState table : state.tables()) {
            if (!table.isSharded()) {
                continue;
            }
            TableName parent = new TableName(table.schema(), table.name());
            objects.accept(new ParentTable(parent, table.columns().stream()
                    .map(column -> new Column(column.name(), column.type(), column.nullable(), column.defaultExpression()))
                    .toList(), table.shardingKey().orElseThrow(() -> new IllegalArgumentException("sharded table " + table.name() + " has no sharding key"))));
            for (PartitionState partition : state.partitionsOf(table.name())) {
                Optional<PartitionSlot> slot = Optional.of(new PartitionSlot(parent, table.partitions(), partition.index()));
                if (partition.node().equals(node.name())) {
                    addLocal(table, parent.sibling(partition.name()), partition.index(), slot, objects);
                    ForeignServerContributor.applicationRole(node)
                            .ifPresent(role -> objects.accept(PartitionGrant.full(parent.sibling(partition.name()), role)));
                } else {
                    state.node(partition.node()).filter(holder -> !holder.lost()).ifPresent(holder -> objects.accept(
                            new ForeignPartition(parent.sibling(ForeignPartition.nameFor(partition.name())), slot,
                                    ForeignServer.nameFor(holder.id()), table.schema(), partition.name())));
                }
            }
        }
    }

    private static void addLocal(TableState table, TableName partition, int index, Optional<PartitionSlot> slot, Consumer<NodeObject> objects) {
        objects.accept(new LocalPartition(partition, slot));
        if (!table.primaryKey().isEmpty()) {
            objects.accept(new PrimaryKey(partition, PrimaryKey.nameFor(partition.name()), table.primaryKey()));
        }
        for (IndexState indexState : table.indexes()) {
            objects.accept(new PartitionIndex(partition, PartitionIndex.nameFor(indexState.name(), index), indexState.columns(), indexState.unique()));
        }
    }
}
