package dev.shardman.bench.chaos;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.applier.failover.AutomaticFailover;
import dev.shardman.bench.AutoApprove;
import dev.shardman.applier.monitor.Monitor;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.applier.monitor.MonitorOptions;
import dev.shardman.applier.monitor.NodeDownResponder;
import dev.shardman.applier.monitor.PollResult;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.planner.PlanOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recovery time of the monitor's automatic failover (issue 13): on a fresh local cluster (shardlord + 3 workers, customers
 * in 3 partitions, redundancy 1, synchronous replication, {@code failover: {automatic: true, after: 10s}}), w1 is SIGKILLed
 * while a client writes, through w2, new keys of the partition w1 held (one INSERT at a time, statement_timeout 2 s,
 * reconnecting after an error). The monitor runs as {@code shardman monitor} does (a poll every 5 s, the default, with
 * {@link AutomaticFailover} wired in). Measured from the kill: the end of the poll that failed w1 over, and the
 * first INSERT of such a key that succeeds. Arguments: {@code [runs]} (default 5); prints each run and the medians.
 */
public final class FailoverBenchmark {
    private static final Duration POLL = MonitorOptions.DEFAULT_INTERVAL;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    private FailoverBenchmark() {
    }

    record Run(long failedOverMillis, long firstWriteMillis) {
    }

    public static void main(String[] arguments) throws Exception {
        int runs = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 5;
        Path root = Files.createTempDirectory(Path.of("/tmp"), "shardman-failover-bench");
        ClusterTemplate template = ClusterTemplate.create(root, 3);
        List<Run> results = new ArrayList<>();
        try {
            for (int run = 1; run <= runs; run++) {
                Path specFile = root.resolve("run-" + run + ".yaml");
                try (ChaosCluster cluster = ChaosCluster.start(root.resolve("run-" + run), template)) {
                    Run result = runOnce(cluster, specFile);
                    results.add(result);
                    System.out.printf("run %d: failover done %.1f s after the kill, first write of a w1 key %.1f s after it%n", run,
                            result.failedOverMillis() / 1000.0, result.firstWriteMillis() / 1000.0);
                } finally {
                    Files.deleteIfExists(specFile);
                }
            }
        } finally {
            template.delete();
            Files.deleteIfExists(root);
        }
        System.out.printf("median of %d runs: failover done %.1f s, first write %.1f s after the kill (failover.after 10 s, monitor polls every %d s)%n",
                results.size(), median(results.stream().map(Run::failedOverMillis).toList()) / 1000.0,
                median(results.stream().map(Run::firstWriteMillis).toList()) / 1000.0, POLL.toSeconds());
    }

    private static Run runOnce(ChaosCluster cluster, Path specFile) throws Exception {
        Files.writeString(specFile, spec(cluster));
        ClusterSpec spec = SpecLoader.load(specFile, Map.of()).orElseThrow();
        new ApplyEngine(ConnectionFactory.fromEnvironment(ApplyEngine.APPLICATION_NAME), ConninfoSecrets.of(Map.of()), new FaultHook(Map.of()))
                .withoutInitialSyncWait()
                .apply(spec, PlanOptions.DEFAULTS, Optional.empty(), new AutoApprove());
        awaitReplicasReady(cluster);
        int partition = Integer.parseInt(ChaosSql.rows(cluster.port("w1"), """
                SELECT substring(c.relname from 'customers_([0-9]+)$') FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'public.customers'::regclass AND c.relkind = 'r'""").get(0));
        List<Long> keys = ChaosSql.longs(cluster.port("w2"), "SELECT id FROM generate_series(1::bigint, 200000) id"
                + " WHERE satisfies_hash_partition('public.customers'::regclass, 3, " + partition + ", id) LIMIT 5000");
        KeyWriter writer = new KeyWriter(cluster.port("w2"), keys);
        writer.writeOnce(); // a write of a w1 key succeeds before the kill
        AutomaticFailover responder = new AutomaticFailover(ConnectionFactory.fromEnvironment("shardman-monitor"), ConninfoSecrets.of(Map.of()),
                new FaultHook(Map.of()), spec);
        cluster.kill("w1");
        long killed = System.nanoTime();
        Thread thread = new Thread(writer::writeUntilSuccess, "failover-bench-writer");
        thread.setDaemon(true);
        thread.start();
        long failedOver = monitor(spec.shardlord(), responder, killed);
        thread.join(RUN_LIMIT.toMillis());
        if (writer.firstSuccess() == 0) {
            throw new IllegalStateException("no write of a key of w1 succeeded within " + RUN_LIMIT + " after the failover");
        }
        return new Run((failedOver - killed) / 1_000_000, (writer.firstSuccess() - killed) / 1_000_000);
    }

    /** The monitor as {@code shardman monitor} runs it, polling every {@link #POLL}, until a poll failed w1 over. */
    private static long monitor(String shardlord, AutomaticFailover failover, long killed) throws InterruptedException {
        MonitorOptions options = new MonitorOptions(POLL, MonitorOptions.DEFAULT_PREPARED_AGE, MonitorOptions.DEFAULT_LEASE);
        try (Monitor monitor = new Monitor(ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME), shardlord, options,
                NodeDownResponder.failingOver(failover))) {
            while (System.nanoTime() - killed < RUN_LIMIT.toNanos()) {
                long started = System.nanoTime();
                PollResult poll = monitor.poll();
                for (MonitorEvent event : poll.events()) {
                    if (event.kind() == MonitorEvent.Kind.NODE_FAILED_OVER) {
                        return System.nanoTime();
                    }
                    if (event.kind() == MonitorEvent.Kind.FAILOVER_DECISION) {
                        System.out.println("  poll: " + event.message());
                    }
                }
                Thread.sleep(Math.max(0, POLL.toMillis() - (System.nanoTime() - started) / 1_000_000));
            }
        }
        throw new IllegalStateException("w1 was not failed over within " + RUN_LIMIT);
    }

    /** Waits (bounded) until every subscription's tables are ready: a failover promotes replicas that exist. */
    private static void awaitReplicasReady(ChaosCluster cluster) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        for (String worker : List.of("w1", "w2", "w3")) {
            while (!ChaosSql.longs(cluster.port(worker), "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'").equals(List.of(0L))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replicas on " + worker + " did not finish their initial copy");
                }
                Thread.sleep(200);
            }
        }
    }

    private static String spec(ChaosCluster cluster) {
        StringBuilder yaml = new StringBuilder("cluster: failover-bench\nshardlord: \"" + cluster.conninfo("shardlord") + "\"\n"
                + "settings:\n  sync_replication: true\n  failover: {automatic: true, after: 10s}\nnodes:\n");
        for (String worker : List.of("w1", "w2", "w3")) {
            yaml.append("  - name: ").append(worker).append("\n    super_conninfo: \"").append(cluster.conninfo(worker))
                    .append("\"\n    replication_group: rg1\n");
        }
        return yaml.append("""
                tables:
                  - name: customers
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: name, type: text, nullable: false, default: "''"}
                    primary_key: [id]
                    sharding_key: id
                    partitions: 3
                    redundancy: 1
                """).toString();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
    }

    /** A client inserting new keys of one partition through one node, one statement at a time; remembers its first success. */
    private static final class KeyWriter {
        private final int port;
        private final List<Long> keys;
        private int next;
        private volatile long firstSuccess;

        KeyWriter(int port, List<Long> keys) {
            this.port = port;
            this.keys = keys;
        }

        void writeOnce() throws SQLException {
            try (Connection connection = connect()) {
                insert(connection);
            }
        }

        void writeUntilSuccess() {
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            while (firstSuccess == 0 && System.nanoTime() < deadline) {
                try (Connection connection = connect()) {
                    insert(connection);
                    firstSuccess = System.nanoTime();
                } catch (SQLException failed) {
                    pause();
                }
            }
        }

        long firstSuccess() {
            return firstSuccess;
        }

        private Connection connect() throws SQLException {
            Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                    + "/postgres?user=postgres&ApplicationName=failover-bench&connectTimeout=2&socketTimeout=10");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = '2s'");
            }
            return connection;
        }

        private void insert(Connection connection) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO customers (id) VALUES (?)")) {
                // a key is used once: a failed INSERT committed nothing (statement_timeout, or no connection to w1)
                insert.setLong(1, keys.get(next++));
                insert.executeUpdate();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
