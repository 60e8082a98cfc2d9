package dev.shardman.bench;

import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.planner.PlanOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data-plane benchmark (issue 14, item 5): what an application sees through a node's parent tables, side by side
 * with the same rows as one plain table on the same node, in one run on the same servers: point TPS through
 * postgres_fdw, insert TPS under redundancy and synchronous replication ({@link SyncOnlyForReplicatedTables}),
 * cluster-wide aggregates. Server options changed for a figure are set back after it; figures are medians over the
 * rounds. Each figure: docs/internals/benchmarks.md, "Data-plane benchmark".
 *
 * <p>Usage: {@code bench/run-dataplane.sh [seconds rounds rows clients basePort]} (defaults 10 3 200000 4 57310;
 * ports basePort..basePort+3).
 */
public final class DataplaneBenchmark {
    static final String DATABASE = "bench_dataplane";
    static final int PARTITIONS = 12;
    static final int WORKERS = 3;
    private static final String COLUMNS = "(id, grp, amount, payload)";
    /** One statement, 12 new rows (ids key * 100 + 0..11): a transaction that writes partitions on every node. */
    private static final String MULTI_ROW_INSERT = "INSERT INTO dp_r1 " + COLUMNS + " SELECT ?::bigint * 100 + i, 1, 1, 'multi' FROM generate_series(0, 11) i";

    private DataplaneBenchmark() {
    }

    record Settings(Duration duration, int rounds, long rows, int clients, int basePort) {
        static Settings parse(String[] arguments) {
            return new Settings(Duration.ofSeconds(arguments.length > 0 ? Long.parseLong(arguments[0]) : 10),
                    arguments.length > 1 ? Integer.parseInt(arguments[1]) : 3, arguments.length > 2 ? Long.parseLong(arguments[2]) : 200_000,
                    arguments.length > 3 ? Integer.parseInt(arguments[3]) : 4, arguments.length > 4 ? Integer.parseInt(arguments[4]) : 57310);
        }
    }

    public static void main(String[] arguments) throws Exception {
        Settings settings = Settings.parse(arguments);
        Path directory = Files.createTempDirectory("shardman-dataplane-bench");
        LocalCluster local = new LocalCluster();
        try {
            List<InstanceReport> instances = local.up(new LocalClusterConfig(directory, WORKERS, PostgresMajorVersion.DEFAULT, settings.basePort()))
                    .instances();
            for (InstanceReport instance : instances) {
                BenchSql.execute(instance, "postgres", "CREATE DATABASE " + DATABASE);
            }
            System.out.printf("cluster: PostgreSQL %s, shardlord + %d workers under %s; %d partitions, %,d rows, %d clients, %d s per figure, %d round(s)%n",
                    instances.get(0).serverVersion(), WORKERS, directory, PARTITIONS, settings.rows(), settings.clients(),
                    settings.duration().toSeconds(), settings.rounds());
            apply(instances, false);
            load(instances, settings.rows());
            List<Map<String, Double>> rounds = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                rounds.add(new Round(instances, settings, round).run());
            }
            DataplaneSummary.print(rounds);
        } finally {
            local.down(directory);
            MoveBenchmark.deleteRecursively(directory);
        }
    }

    /** One round's measurements, each named; the summary takes medians per name over the rounds. */
    private static final class Round {
        private final List<InstanceReport> instances;
        private final Settings settings;
        private final int number;
        private final Map<String, Double> figures = new LinkedHashMap<>();
        private final String url;

        Round(List<InstanceReport> instances, Settings settings, int number) {
            this.instances = instances;
            this.settings = settings;
            this.number = number;
            this.url = BenchSql.url(instances.get(1), DATABASE, "shardman-bench-client");
        }

        Map<String, Double> run() throws Exception {
            System.out.printf("round %d%n", number);
            String select = "SELECT id, grp, amount, payload FROM %s WHERE id = ?";
            tps("select parent", select.formatted("dp_r0"), ClientLoad.Keys.randomUpTo(settings.rows()));
            tps("select plain", select.formatted("dp_plain"), ClientLoad.Keys.randomUpTo(settings.rows()));
            tps("select parent, keys held on w1", select.formatted("dp_r0"), ClientLoad.Keys.randomOf(localKeys()));
            setServerOption("async_capable", "false");
            tps("select parent, async_capable off", select.formatted("dp_r0"), ClientLoad.Keys.randomUpTo(settings.rows()));
            setServerOption("async_capable", "true");
            String update = "UPDATE %s SET amount = amount + 1 WHERE id = ?";
            tps("update parent", update.formatted("dp_r0"), ClientLoad.Keys.randomUpTo(settings.rows()));
            tps("update plain", update.formatted("dp_plain"), ClientLoad.Keys.randomUpTo(settings.rows()));
            tps("insert parent", insert("dp_r0"), freshKeys(1));
            tps("insert plain", insert("dp_plain"), freshKeys(2));
            tps("insert redundancy 1", insert("dp_r1"), freshKeys(3));
            aggregates();
            apply(instances, true);
            System.out.println("  w1 synchronous_standby_names = " + BenchSql.queryString(instances.get(1), DATABASE,
                    "SELECT current_setting('synchronous_standby_names')"));
            tps("insert redundancy 1, sync", insert("dp_r1"), freshKeys(4));
            tps("insert redundancy 0, sync on for the other table", insert("dp_r0"), freshKeys(5));
            tps("insert redundancy 0, sync on for the other table, session synchronous_commit = local", List.of("SET synchronous_commit = local"),
                    insert("dp_r0"), freshKeys(8));
            tps("insert 12 rows redundancy 1, sync", MULTI_ROW_INSERT, freshKeys(9));
            setServerOption("parallel_commit", "true");
            tps("insert 12 rows redundancy 1, sync, parallel_commit", MULTI_ROW_INSERT, freshKeys(10));
            dropServerOption("parallel_commit");
            SyncOnlyForReplicatedTables.install(instances, DATABASE, "dp_r1");
            tps("insert redundancy 1, sync, wait only for replicated tables", insert("dp_r1"), freshKeys(6));
            tps("insert redundancy 0, sync on for the other table, wait only for replicated tables", insert("dp_r0"), freshKeys(7));
            SyncOnlyForReplicatedTables.remove(instances, DATABASE, "dp_r1");
            apply(instances, false);
            return figures;
        }

        private void aggregates() throws Exception {
            List<String> partitions = partitionsOnW1("dp_r0");
            String count = "SELECT count(*), sum(amount) FROM %s";
            String group = "SELECT grp, count(*), sum(amount) FROM %s GROUP BY grp";
            millis("count/sum parent", List.of(), count.formatted("dp_r0"));
            millis("count/sum parent, partitionwise aggregate", List.of("SET enable_partitionwise_aggregate = on"), count.formatted("dp_r0"));
            millis("count/sum per-partition UNION ALL", List.of(), "SELECT sum(c), sum(s) FROM (" + String.join(" UNION ALL ",
                    partitions.stream().map(partition -> "SELECT count(*) c, sum(amount) s FROM " + partition).toList()) + ") parts");
            millis("count/sum plain", List.of(), count.formatted("dp_plain"));
            millis("group by parent", List.of(), group.formatted("dp_r0"));
            millis("group by parent, partitionwise aggregate", List.of("SET enable_partitionwise_aggregate = on"), group.formatted("dp_r0"));
            millis("group by per-partition UNION ALL", List.of(), "SELECT grp, sum(c), sum(s) FROM (" + String.join(" UNION ALL ",
                    partitions.stream().map(partition -> "SELECT grp, count(*) c, sum(amount) s FROM " + partition + " GROUP BY grp").toList())
                    + ") parts GROUP BY grp");
            millis("group by plain", List.of(), group.formatted("dp_plain"));
        }

        private void tps(String name, String sql, ClientLoad.Keys keys) throws Exception {
            tps(name, List.of(), sql, keys);
        }

        private void tps(String name, List<String> setup, String sql, ClientLoad.Keys keys) throws Exception {
            double tps = ClientLoad.tps(url, setup, sql, keys, settings.clients(), settings.duration());
            figures.put(name + " (TPS)", tps);
            System.out.printf("  %-90s %10.0f TPS%n", name, tps);
        }

        private void millis(String name, List<String> setup, String sql) throws Exception {
            double millis = ClientLoad.medianMillis(url, setup, sql, settings.duration().dividedBy(2));
            figures.put(name + " (ms)", millis);
            System.out.printf("  %-90s %10.1f ms%n", name, millis);
        }

        /** New ids, disjoint for every (round, measurement) and from the loaded ones. */
        private ClientLoad.Keys freshKeys(int measurement) {
            return ClientLoad.Keys.fresh(1_000_000_000_000L * (100L * number + measurement));
        }

        private void setServerOption(String option, String value) throws SQLException {
            try (Connection connection = BenchSql.connect(instances.get(1), DATABASE, "shardman-bench"); Statement statement = connection.createStatement()) {
                for (String server : names(connection, "SELECT srvname || ' ' || (srvoptions::text LIKE '%" + option
                        + "=%') FROM pg_foreign_server WHERE srvname LIKE 'shardman_node_%' ORDER BY 1")) {
                    String[] nameAndPresent = server.split(" ");
                    statement.execute("ALTER SERVER " + nameAndPresent[0] + " OPTIONS (" + (nameAndPresent[1].equals("true") ? "SET " : "ADD ")
                            + option + " '" + value + "')");
                }
            }
        }

        /** The loaded keys whose partition w1 holds (a sample of at most 10,000). */
        private List<Long> localKeys() throws SQLException {
            List<String> local = partitionsOnW1("dp_r0").stream().filter(partition -> !partition.endsWith("_fdw")).toList();
            try (Connection connection = BenchSql.connect(instances.get(1), DATABASE, "shardman-bench")) {
                return names(connection, "SELECT id FROM (" + String.join(" UNION ALL ", local.stream().map(partition -> "SELECT id FROM " + partition)
                        .toList()) + ") held WHERE id <= " + settings.rows() + " LIMIT 10000").stream().map(Long::valueOf).toList();
            }
        }

        private void dropServerOption(String option) throws SQLException {
            try (Connection connection = BenchSql.connect(instances.get(1), DATABASE, "shardman-bench"); Statement statement = connection.createStatement()) {
                for (String server : names(connection, "SELECT srvname FROM pg_foreign_server WHERE srvname LIKE 'shardman_node_%' ORDER BY 1")) {
                    statement.execute("ALTER SERVER " + server + " OPTIONS (DROP " + option + ")");
                }
            }
        }

        private List<String> partitionsOnW1(String parent) throws SQLException {
            try (Connection connection = BenchSql.connect(instances.get(1), DATABASE, "shardman-bench")) {
                return names(connection, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"
                        + parent + "'::regclass ORDER BY 1");
            }
        }
    }

    static String insert(String table) {
        return "INSERT INTO " + table + " " + COLUMNS + " VALUES (?, 1, 1, 'inserted')";
    }

    static List<String> names(Connection connection, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** The same rows in dp_r0 and dp_r1 (through w1's parents) and in dp_plain (on w1); then VACUUM ANALYZE everywhere. */
    private static void load(List<InstanceReport> instances, long rows) throws SQLException {
        long started = System.nanoTime();
        InstanceReport w1 = instances.get(1);
        BenchSql.execute(w1, DATABASE, "CREATE TABLE dp_plain (id bigint NOT NULL PRIMARY KEY, grp integer NOT NULL DEFAULT 0,"
                + " amount bigint NOT NULL DEFAULT 0, payload text NOT NULL DEFAULT '')");
        String rowsSql = " SELECT i, i % 100, i, md5(i::text) FROM generate_series(1, " + rows + ") i";
        for (String table : List.of("dp_r0", "dp_r1", "dp_plain")) {
            BenchSql.execute(w1, DATABASE, "INSERT INTO " + table + " " + COLUMNS + rowsSql);
        }
        for (InstanceReport worker : instances.subList(1, instances.size())) {
            BenchSql.execute(worker, DATABASE, "VACUUM ANALYZE");
        }
        System.out.printf("loaded %,d rows into dp_r0, dp_r1 and dp_plain in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
    }

    private static void apply(List<InstanceReport> instances, boolean syncReplication) {
        long started = System.nanoTime();
        ApplyEngine.fromEnvironment()
                .apply(spec(instances, syncReplication), PlanOptions.DEFAULTS, Optional.empty(), new AutoApprove());
        System.out.printf("  applied sync_replication: %s in %.1f s%n", syncReplication, (System.nanoTime() - started) / 1e9);
    }

    private static ClusterSpec spec(List<InstanceReport> instances, boolean syncReplication) {
        StringBuilder yaml = new StringBuilder("cluster: bench\nshardlord: \"" + conninfo(instances.get(0)) + "\"\n")
                .append("settings:\n  sync_replication: ").append(syncReplication).append("\nnodes:\n");
        for (int worker = 1; worker <= WORKERS; worker++) {
            yaml.append("  - {name: w").append(worker).append(", super_conninfo: \"").append(conninfo(instances.get(worker)))
                    .append("\", replication_group: rg1}\n");
        }
        yaml.append("tables:\n");
        for (int redundancy = 0; redundancy <= 1; redundancy++) {
            yaml.append("  - name: dp_r").append(redundancy).append('\n')
                    .append("    type: sharded\n")
                    .append("    columns:\n")
                    .append("      - {name: id, type: bigint, nullable: false}\n")
                    .append("      - {name: grp, type: integer, nullable: false, default: \"0\"}\n")
                    .append("      - {name: amount, type: bigint, nullable: false, default: \"0\"}\n")
                    .append("      - {name: payload, type: text, nullable: false, default: \"''\"}\n")
                    .append("    primary_key: [id]\n")
                    .append("    sharding_key: id\n")
                    .append("    partitions: ").append(PARTITIONS).append('\n')
                    .append("    redundancy: ").append(redundancy).append('\n');
        }
        return SpecLoader.load("bench-dataplane.yaml", yaml.toString(), Map.of()).spec().orElseThrow();
    }

    private static String conninfo(InstanceReport instance) {
        return "host=127.0.0.1 port=" + instance.port() + " dbname=" + DATABASE + " user=postgres";
    }
}
