package dev.shardman.applier.metadata;

import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the difference between two states to the metadata tables: rows that left are deleted, new
 * rows inserted, changed rows updated; unchanged rows are not touched (a step changes a few rows of a
 * cluster that may have hundreds of thousands of partitions). Call inside the transaction that checked
 * that the stored state is {@code before}. Foreign keys are deferred, so the order of rows does not matter.
 */
final class StateWriter {
    private static final String DELETE_REPLICA = "DELETE FROM shardman.replicas WHERE partition = ? AND node = ?";
    private static final String INSERT_REPLICA = "INSERT INTO shardman.replicas (partition, node) VALUES (?, ?)";
    private static final String DELETE_PARTITION = "DELETE FROM shardman.partitions WHERE table_name = ? AND partition_index = ?";
    private static final String UPSERT_PARTITION = """
            INSERT INTO shardman.partitions (table_name, partition_index, node) VALUES (?, ?, ?)
            ON CONFLICT (table_name, partition_index) DO UPDATE SET node = excluded.node""";
    private static final String DELETE_TABLE = "DELETE FROM shardman.tables WHERE name = ?";
    private static final String UPSERT_TABLE = """
            INSERT INTO shardman.tables (name, position, schema, type, columns, primary_key, indexes, sharding_key, partitions,
                                         redundancy, colocate_with, master, grants)
            VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, schema = excluded.schema, type = excluded.type,
                columns = excluded.columns, primary_key = excluded.primary_key, indexes = excluded.indexes,
                sharding_key = excluded.sharding_key, partitions = excluded.partitions, redundancy = excluded.redundancy,
                colocate_with = excluded.colocate_with, master = excluded.master, grants = excluded.grants""";
    private static final String DELETE_NODE = "DELETE FROM shardman.nodes WHERE name = ?";
    private static final String UPSERT_NODE = """
            INSERT INTO shardman.nodes (id, name, system_identifier, super_conninfo, conninfo, replication_group, lost)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET id = excluded.id, system_identifier = excluded.system_identifier,
                super_conninfo = excluded.super_conninfo, conninfo = excluded.conninfo,
                replication_group = excluded.replication_group, lost = excluded.lost""";

    private static final String UPDATE_SETTINGS = """
            UPDATE shardman.cluster SET sync_replication = ?, max_replication_lag_bytes = ?, failover_automatic = ?, failover_after_seconds = ?""";

    private StateWriter() {
    }

    static void write(Connection connection, ClusterState before, ClusterState after) throws SQLException {
        for (NodeState node : after.nodes()) {
            Secrets.refuseLiteralPasswordInConninfo("node " + node.name() + ": super_conninfo", node.superConninfo());
            if (node.conninfo().isPresent()) {
                Secrets.refuseLiteralPasswordInConninfo("node " + node.name() + ": conninfo", node.conninfo().get());
            }
        }
        writeReplicas(connection, before.replicas(), after.replicas());
        writePartitions(connection, before.partitions(), after.partitions());
        writeTables(connection, before.tables(), after.tables());
        writeNodes(connection, before.nodes(), after.nodes());
        writeSettings(connection, before.settings(), after.settings());
    }

    private static void writeSettings(Connection connection, ClusterSettings before, ClusterSettings after) throws SQLException {
        if (after.equals(before)) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_SETTINGS)) {
            update.setBoolean(1, after.syncReplication());
            update.setLong(2, after.maxReplicationLagBytes());
            update.setBoolean(3, after.failover().automatic());
            update.setInt(4, Math.toIntExact(after.failover().after().toSeconds()));
            update.executeUpdate();
        }
    }

    private static void writeReplicas(Connection connection, List<ReplicaState> before, List<ReplicaState> after) throws SQLException {
        Set<ReplicaState> kept = new HashSet<>(after);
        Set<ReplicaState> existing = new HashSet<>(before);
        try (PreparedStatement delete = connection.prepareStatement(DELETE_REPLICA);
             PreparedStatement insert = connection.prepareStatement(INSERT_REPLICA)) {
            for (ReplicaState replica : before) {
                if (!kept.contains(replica)) {
                    delete.setString(1, replica.partition());
                    delete.setString(2, replica.node());
                    delete.addBatch();
                }
            }
            for (ReplicaState replica : after) {
                if (!existing.contains(replica)) {
                    insert.setString(1, replica.partition());
                    insert.setString(2, replica.node());
                    insert.addBatch();
                }
            }
            delete.executeBatch();
            insert.executeBatch();
        }
    }

    private static void writePartitions(Connection connection, List<PartitionState> before, List<PartitionState> after) throws SQLException {
        Map<String, PartitionState> old = byKey(before, PartitionState::name);
        Map<String, PartitionState> now = byKey(after, PartitionState::name);
        try (PreparedStatement delete = connection.prepareStatement(DELETE_PARTITION);
             PreparedStatement upsert = connection.prepareStatement(UPSERT_PARTITION)) {
            for (PartitionState partition : before) {
                if (!now.containsKey(partition.name())) {
                    delete.setString(1, partition.table());
                    delete.setInt(2, partition.index());
                    delete.addBatch();
                }
            }
            for (PartitionState partition : after) {
                if (!partition.equals(old.get(partition.name()))) {
                    upsert.setString(1, partition.table());
                    upsert.setInt(2, partition.index());
                    upsert.setString(3, partition.node());
                    upsert.addBatch();
                }
            }
            delete.executeBatch();
            upsert.executeBatch();
        }
    }

    private static void writeTables(Connection connection, List<TableState> before, List<TableState> after) throws SQLException {
        Map<String, TableState> now = byKey(after, TableState::name);
        try (PreparedStatement delete = connection.prepareStatement(DELETE_TABLE);
             PreparedStatement upsert = connection.prepareStatement(UPSERT_TABLE)) {
            for (TableState table : before) {
                if (!now.containsKey(table.name())) {
                    delete.setString(1, table.name());
                    delete.addBatch();
                }
            }
            for (int position = 0; position < after.size(); position++) {
                TableState table = after.get(position);
                boolean samePlace = position < before.size() && before.get(position).equals(table);
                if (!samePlace) {
                    bindTable(connection, upsert, table, position);
                    upsert.addBatch();
                }
            }
            delete.executeBatch();
            upsert.executeBatch();
        }
    }

    private static void bindTable(Connection connection, PreparedStatement upsert, TableState table, int position) throws SQLException {
        upsert.setString(1, table.name());
        upsert.setInt(2, position);
        upsert.setString(3, table.schema());
        upsert.setString(4, table.type().keyword());
        upsert.setString(5, TableJson.columns(table.columns()));
        upsert.setArray(6, connection.createArrayOf("text", table.primaryKey().toArray()));
        upsert.setString(7, TableJson.indexes(table.indexes()));
        setOptional(upsert, 8, table.shardingKey());
        upsert.setInt(9, table.partitions());
        upsert.setInt(10, table.redundancy());
        setOptional(upsert, 11, table.colocateWith());
        setOptional(upsert, 12, table.master());
        upsert.setString(13, TableJson.grants(table.grants()));
    }

    private static void writeNodes(Connection connection, List<NodeState> before, List<NodeState> after) throws SQLException {
        Map<String, NodeState> old = byKey(before, NodeState::name);
        Map<String, NodeState> now = byKey(after, NodeState::name);
        try (PreparedStatement delete = connection.prepareStatement(DELETE_NODE);
             PreparedStatement upsert = connection.prepareStatement(UPSERT_NODE)) {
            for (NodeState node : before) {
                if (!now.containsKey(node.name())) {
                    delete.setString(1, node.name());
                    delete.addBatch();
                }
            }
            for (NodeState node : after) {
                if (!node.equals(old.get(node.name()))) {
                    upsert.setLong(1, node.id());
                    upsert.setString(2, node.name());
                    setOptional(upsert, 3, node.systemIdentifier());
                    upsert.setString(4, node.superConninfo());
                    setOptional(upsert, 5, node.conninfo());
                    upsert.setString(6, node.replicationGroup());
                    upsert.setBoolean(7, node.lost());
                    upsert.addBatch();
                }
            }
            delete.executeBatch();
            upsert.executeBatch();
        }
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(key.apply(item), item));
        return map;
    }
}
