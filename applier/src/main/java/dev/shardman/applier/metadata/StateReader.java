package dev.shardman.applier.metadata;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the metadata tables into a {@link ClusterState}, in the canonical order that the planner's
 * projection produces: nodes by id, tables by creation position, partitions by table then index,
 * replicas by partition (in partition order) then node name. Call inside one snapshot transaction.
 */
final class StateReader {
    private static final String CLUSTER = """
            SELECT lineage::text, serial, sync_replication, max_replication_lag_bytes, failover_automatic, failover_after_seconds
            FROM shardman.cluster""";
    private static final String NODES = """
            SELECT id, name, system_identifier, super_conninfo, conninfo, replication_group, lost
            FROM shardman.nodes ORDER BY id""";
    private static final String TABLES = """
            SELECT name, schema, type, columns::text, primary_key, indexes::text, sharding_key, partitions, redundancy,
                   colocate_with, master, grants::text
            FROM shardman.tables ORDER BY position, name""";
    private static final String PARTITIONS = "SELECT table_name, partition_index, node FROM shardman.partitions";
    private static final String REPLICAS = "SELECT partition, node FROM shardman.replicas";

    private StateReader() {
    }

    static ClusterState read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            String lineage;
            long serial;
            ClusterSettings settings;
            try (ResultSet rows = statement.executeQuery(CLUSTER)) {
                if (!rows.next()) {
                    return ClusterState.empty();
                }
                lineage = rows.getString(1);
                serial = rows.getLong(2);
                settings = new ClusterSettings(rows.getBoolean(3), rows.getLong(4),
                        new FailoverSettings(rows.getBoolean(5), Duration.ofSeconds(rows.getInt(6))));
            }
            List<NodeState> nodes = nodes(statement);
            List<TableState> tables = tables(statement);
            List<PartitionState> partitions = partitions(statement, tables);
            List<ReplicaState> replicas = replicas(statement, partitions);
            return new ClusterState(lineage, serial, nodes, tables, partitions, replicas, settings);
        }
    }

    private static List<NodeState> nodes(Statement statement) throws SQLException {
        List<NodeState> nodes = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(NODES)) {
            while (rows.next()) {
                nodes.add(new NodeState(rows.getLong(1), rows.getString(2), Optional.ofNullable(rows.getString(3)), rows.getString(4),
                        Optional.ofNullable(rows.getString(5)), rows.getString(6), rows.getBoolean(7)));
            }
        }
        return nodes;
    }

    private static List<TableState> tables(Statement statement) throws SQLException {
        List<TableState> tables = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(TABLES)) {
            while (rows.next()) {
                tables.add(new TableState(rows.getString(1), rows.getString(2), tableType(rows.getString(3)),
                        TableJson.readColumns(rows.getString(4)), textArray(rows.getArray(5)), TableJson.readIndexes(rows.getString(6)),
                        Optional.ofNullable(rows.getString(7)), rows.getInt(8), rows.getInt(9),
                        Optional.ofNullable(rows.getString(10)), Optional.ofNullable(rows.getString(11)),
                        TableJson.readGrants(rows.getString(12))));
            }
        }
        return tables;
    }

    private static List<PartitionState> partitions(Statement statement, List<TableState> tables) throws SQLException {
        Map<String, Integer> tablePosition = new HashMap<>();
        for (TableState table : tables) {
            tablePosition.put(table.name(), tablePosition.size());
        }
        List<PartitionState> partitions = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(PARTITIONS)) {
            while (rows.next()) {
                partitions.add(new PartitionState(rows.getString(1), rows.getInt(2), rows.getString(3)));
            }
        }
        partitions.sort(Comparator.comparing((PartitionState partition) -> tablePosition.get(partition.table()))
                .thenComparingInt(PartitionState::index));
        return partitions;
    }

    private static List<ReplicaState> replicas(Statement statement, List<PartitionState> partitions) throws SQLException {
        Map<String, Integer> partitionPosition = new HashMap<>();
        for (PartitionState partition : partitions) {
            partitionPosition.put(partition.name(), partitionPosition.size());
        }
        List<ReplicaState> replicas = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(REPLICAS)) {
            while (rows.next()) {
                replicas.add(new ReplicaState(rows.getString(1), rows.getString(2)));
            }
        }
        replicas.sort(Comparator.comparing((ReplicaState replica) -> partitionPosition.get(replica.partition()))
                .thenComparing(ReplicaState::node));
        return replicas;
    }

    private static TableType tableType(String keyword) {
        return Arrays.stream(TableType.values()).filter(type -> type.keyword().equals(keyword)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown table type in the shardlord metadata: " + keyword));
    }

    private static List<String> textArray(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }
}
