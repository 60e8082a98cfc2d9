package dev.shardman.bench;

import dev.shardman.localcluster.InstanceReport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A candidate arrangement, measured by the benchmark (not something shardman creates today): with
 * {@code synchronous_standby_names} set on a server, every commit there waits for the standbys, also the commits of
 * tables without replicas. Here the node database's default becomes {@code synchronous_commit = local} and a
 * statement trigger on the replicated table's parent and on each of its local partitions sets
 * {@code synchronous_commit = on} for the rest of the transaction that writes it: commits that wrote a replicated
 * table still wait (also those of postgres_fdw sessions, which write the partitions by name), the others do not.
 */
final class SyncOnlyForReplicatedTables {
    private static final String FUNCTION = "bench_wait_for_replicas";

    private SyncOnlyForReplicatedTables() {
    }

    static void install(List<InstanceReport> instances, String database, String table) throws SQLException {
        for (InstanceReport worker : instances.subList(1, instances.size())) {
            try (Connection connection = BenchSql.connect(worker, database, "shardman-bench"); Statement statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE " + database + " SET synchronous_commit = local");
                statement.execute("CREATE FUNCTION " + FUNCTION + "() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$BEGIN PERFORM pg_catalog.set_config('synchronous_commit', 'on', true); RETURN NULL; END$$");
                for (String relation : writable(connection, table)) {
                    statement.execute("CREATE TRIGGER " + FUNCTION + " AFTER INSERT OR UPDATE OR DELETE ON " + relation
                            + " FOR EACH STATEMENT EXECUTE FUNCTION " + FUNCTION + "()");
                }
            }
        }
    }

    static void remove(List<InstanceReport> instances, String database, String table) throws SQLException {
        for (InstanceReport worker : instances.subList(1, instances.size())) {
            try (Connection connection = BenchSql.connect(worker, database, "shardman-bench"); Statement statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE " + database + " RESET synchronous_commit");
                statement.execute("DROP FUNCTION " + FUNCTION + "() CASCADE");
            }
        }
    }

    /** The parent and its local (attached) partitions on this node. */
    private static List<String> writable(Connection connection, String table) throws SQLException {
        return DataplaneBenchmark.names(connection, "SELECT c.relname FROM pg_class c WHERE c.relname = '" + table + "' OR (c.relkind = 'r'"
                + " AND c.relispartition AND c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = '" + table + "'::regclass)) ORDER BY 1");
    }
}
