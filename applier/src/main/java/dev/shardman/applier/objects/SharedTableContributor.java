package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * For each shared table: on every live node the data table {@code shardman_shared.<name>} with its primary key (kept when
 * the master is lost, until the plan's master change; nothing more then). When the master is live, also: on every live node
 * the view {@code schema.name} that
 * redirects writes to the master (through {@code shardman_node_<master id>} off the master); on the
 * master, when it has a non-superuser {@code conninfo}, USAGE on {@code shardman_shared} and
 * SELECT/INSERT/UPDATE/DELETE on the data table for that role, as which the peers' writes arrive;
 * on every node the privileges of the table's {@code grants} on the view (the write function runs
 * with its owner's rights, so the view is all an application needs).
 */
final class SharedTableContributor implements ObjectContributor {
    @Override
    public void contribute(ClusterState state, NodeState node, Consumer<NodeObject> objects) {
        for (TableState table : state.tables()) {
            if (table.isSharded() || table.master().isEmpty()) {
                continue;
            }
            Optional<NodeState> master = state.node(table.master().get());
            if (master.isEmpty()) {
                continue;
            }
            TableName data = SharedData.nameFor(table.name());
            objects.accept(new SharedData(data, table.columns().stream()
                    .map(column -> new Column(column.name(), column.type(), column.nullable(), column.defaultExpression())).toList()));
            if (!table.primaryKey().isEmpty()) {
                objects.accept(new PrimaryKey(data, PrimaryKey.nameFor(table.name()), table.primaryKey()));
            }
            if (master.get().lost()) {
                // the copies keep their rows until the master change that must follow (the plan requires a live master)
                continue;
            }
            Optional<String> server = master.get().name().equals(node.name()) ? Optional.empty() : Optional.of(ForeignServer.nameFor(master.get().id()));
            TableName view = new TableName(table.schema(), table.name());
            objects.accept(SharedView.expected(view, data, table.columns().stream()
                    .map(column -> new Column(column.name(), column.type(), true, Optional.empty())).toList(), server));
            specGrants(table, view, objects);
            if (server.isEmpty()) {
                // peers' writes arrive as this node's conninfo role, through their foreign table name_fdw
                ForeignServerContributor.applicationRole(node).ifPresent(role -> objects.accept(PartitionGrant.withSchemaUsage(data, role,
                        PartitionGrant.PRIVILEGES)));
            }
        }
    }

    /** The privileges of each role of the table's {@code grants} on {@code table}, and USAGE on its schema. */
    static void specGrants(TableState table, TableName relation, Consumer<NodeObject> objects) {
        table.grants().forEach((role, privileges) -> objects.accept(PartitionGrant.withSchemaUsage(relation, role, privileges)));
    }
}
