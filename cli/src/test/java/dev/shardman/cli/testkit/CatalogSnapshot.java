package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.InstanceAddress;
import dev.shardman.localcluster.junit.TestCluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command may change, read from the catalogs: the shardlord's metadata (cluster row with its serial, nodes,
 * partitions, replicas, moves, journal, decisions) and on every worker the subscriptions, publications and their tables,
 * replication slots, relations, partition attachments, foreign servers, prepared transactions and
 * synchronous_standby_names. Equal snapshots: nothing of these changed (streaming positions are left out: a move's
 * subscription keeps catching up on its own).
 */
public record CatalogSnapshot(Map<String, List<String>> rows) {
    private static final Map<String, String> SHARDLORD = queries(
            "cluster", "SELECT t::text FROM shardman.cluster t",
            "nodes", "SELECT t::text FROM shardman.nodes t",
            "partitions", "SELECT t::text FROM shardman.partitions t",
            "replicas", "SELECT t::text FROM shardman.replicas t",
            "moves", "SELECT t::text FROM shardman.moves t",
            "journal", "SELECT t::text FROM shardman.journal t",
            "decisions", "SELECT t::text FROM shardman.decisions t");
    private static final Map<String, String> WORKER = queries(
            "pg_subscription", """
                    SELECT subname || ' ' || subenabled::text || ' ' || coalesce(subslotname::text, '-') || ' ' || array_to_string(subpublications, ',')
                    FROM pg_catalog.pg_subscription WHERE subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())""",
            "pg_subscription_rel", "SELECT srsubid::text || ' ' || srrelid::regclass::text FROM pg_catalog.pg_subscription_rel",
            "pg_publication", "SELECT pubname FROM pg_catalog.pg_publication",
            "pg_publication_tables", "SELECT pubname || ' ' || schemaname || '.' || tablename FROM pg_catalog.pg_publication_tables",
            "pg_replication_slots", "SELECT slot_name || ' ' || slot_type || ' ' || coalesce(database::text, '-') FROM pg_catalog.pg_replication_slots",
            "relations", """
                    SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relispartition::text FROM pg_catalog.pg_class c
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relkind IN ('r', 'p', 'f', 'v', 'i', 'I', 'S')""",
            "pg_inherits", "SELECT inhrelid::regclass::text || ' of ' || inhparent::regclass::text FROM pg_catalog.pg_inherits",
            "pg_foreign_server", "SELECT srvname || ' ' || array_to_string(srvoptions, ',') FROM pg_catalog.pg_foreign_server",
            "pg_prepared_xacts", "SELECT gid FROM pg_catalog.pg_prepared_xacts",
            "synchronous_standby_names", "SELECT current_setting('synchronous_standby_names')");

    public static CatalogSnapshot of(TestCluster cluster) throws SQLException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        read(cluster, cluster.shardlord(), "shardlord", SHARDLORD, rows);
        for (int worker = 1; worker <= cluster.workers().size(); worker++) {
            read(cluster, cluster.worker(worker), "w" + worker, WORKER, rows);
        }
        return new CatalogSnapshot(rows);
    }

    private static void read(TestCluster cluster, InstanceAddress instance, String name, Map<String, String> queries, Map<String, List<String>> rows)
            throws SQLException {
        try (Connection connection = cluster.connect(instance); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                List<String> values = new ArrayList<>();
                try (ResultSet result = statement.executeQuery("SELECT v FROM (" + query.getValue() + ") AS q(v) ORDER BY 1")) {
                    while (result.next()) {
                        values.add(result.getString(1));
                    }
                }
                rows.put(name + " " + query.getKey(), List.copyOf(values));
            }
        }
    }

    private static Map<String, String> queries(String... namesAndQueries) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (int index = 0; index < namesAndQueries.length; index += 2) {
            queries.put(namesAndQueries[index], namesAndQueries[index + 1]);
        }
        return queries;
    }
}
