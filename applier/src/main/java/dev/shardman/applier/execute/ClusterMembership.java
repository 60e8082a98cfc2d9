package dev.shardman.applier.execute;

import dev.shardman.model.DerivedNames;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a database that a plan registers as a new node already works for a shardman cluster: its foreign servers to
 * peers, publications, subscriptions or replication slots carry shardman's names. A new node has none (a node that
 * left this cluster had them dropped by its cleanup); reconciling such a database to this cluster's objects would drop
 * them, and with them the other cluster's replicas and routes through it. Nor tables under the cluster's names
 * ({@link #keptTables}).
 */
final class ClusterMembership {
    /** shardman's names, {@code _} escaped for LIKE; slots and subscriptions of this database only. */
    private static final String OBJECTS = """
            SELECT 'foreign server ' || srvname FROM pg_catalog.pg_foreign_server WHERE srvname LIKE 'shardman\\_%'
            UNION ALL SELECT 'publication ' || pubname FROM pg_catalog.pg_publication WHERE pubname LIKE 'shardman\\_%'
            UNION ALL SELECT 'subscription ' || subname FROM pg_catalog.pg_subscription
              WHERE subname LIKE 'shardman\\_%' AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
            UNION ALL SELECT 'replication slot ' || slot_name FROM pg_catalog.pg_replication_slots
              WHERE slot_name LIKE 'shardman\\_%' AND database = current_database()
            ORDER BY 1""";
    private static final int NAMED = 5;
    private static final String KEPT_TABLES = """
            SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(?::text[], ?::text[]) AS cluster(schema_name, relation_name)
              ON cluster.schema_name = n.nspname AND cluster.relation_name = c.relname
            WHERE c.relkind IN ('r', 'p', 'f', 'v')
            ORDER BY 1""";

    private ClusterMembership() {
    }

    /** The problem of registering {@code node} on {@code connection}'s database as a new node, if it has one. */
    static List<String> problems(Connection connection, String node) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(OBJECTS)) {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        return List.of(node + " is registered as a new node, but its database already holds shardman's objects ("
                + listed(found)
                + "): it is a node of another shardman cluster, or left one without its cleanup; give " + node
                + " a database of its own in cluster.yaml, or, if it left its cluster for good, run shardman wipe-state on it first");
    }

    /**
     * The relations on {@code connection}'s database that already have the names the cluster's tables take there in
     * {@code after} (parents, partitions, foreign partitions, shared tables' views): a drained node keeps its tables
     * under these names, a lost one until wipe-state; registering over them would stop at the node's first step.
     */
    static List<String> keptTables(Connection connection, String node, ClusterState after) throws SQLException {
        List<String> schemas = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (TableState table : after.tables()) {
            schemas.add(table.schema());
            names.add(table.name());
        }
        for (PartitionState partition : after.partitions()) {
            after.table(partition.table()).ifPresent(table -> {
                for (String name : List.of(partition.name(), DerivedNames.foreign(partition.name()))) {
                    schemas.add(table.schema());
                    names.add(name);
                }
            });
        }
        List<String> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(KEPT_TABLES)) {
            statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            statement.setArray(2, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        return List.of(node + " is registered as a new node, but its database already holds tables with the cluster's names ("
                + listed(found)
                + "): if this server was a node before (drained, or lost), run shardman wipe-state --node " + node
                + " on it first (it keeps them, renamed <name>_stale); otherwise give " + node + " a database of its own");
    }

    /** The first few of {@code found}, and how many in all when there are more. */
    private static String listed(List<String> found) {
        return String.join(", ", found.subList(0, Math.min(NAMED, found.size()))) + (found.size() > NAMED ? ", " + found.size() + " in all" : "");
    }

    /** Refuses to register {@code node} on {@code connection}'s database (apply's own check, after plan's). */
    static void require(Connection connection, String node) throws SQLException {
        List<String> problems = problems(connection, node);
        if (!problems.isEmpty()) {
            throw new ShardmanException(ErrorCode.REFUSED, problems.get(0), "nothing was changed on " + node);
        }
    }
}
