package dev.shardman.applier.move;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.ApplyListener;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.step.Step;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Specs, apply and SQL helpers shared by the move ITs (real servers of the local cluster, no mocks). */
final class MoveTestSupport {
    static final Map<String, String> ENVIRONMENT = Map.of();

    private MoveTestSupport() {
    }

    /** customers (6 partitions) and its colocated orders on w1..w{workers}, with {@code redundancy}. */
    static ClusterSpec spec(TestCluster cluster, int workers, int redundancy) {
        StringBuilder yaml = new StringBuilder("cluster: test\nshardlord: \"" + cluster.conninfo(cluster.shardlord()) + "\"\nnodes:\n");
        for (int number = 1; number <= workers; number++) {
            yaml.append("  - name: w").append(number).append("\n    super_conninfo: \"").append(cluster.conninfo(cluster.worker(number)))
                    .append("\"\n    replication_group: rg1\n");
        }
        yaml.append("""
                tables:
                  - name: customers
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: name, type: text, nullable: false, default: "''"}
                    primary_key: [id]
                    indexes:
                      - {name: customers_name_idx, columns: [name]}
                    sharding_key: id
                    partitions: 6
                    redundancy: %d
                  - name: orders
                    type: sharded
                    columns:
                      - {name: customer_id, type: bigint, nullable: false}
                      - {name: order_id, type: bigint, nullable: false}
                      - {name: amount, type: "numeric(12,2)", nullable: false, default: "0"}
                    primary_key: [customer_id, order_id]
                    sharding_key: customer_id
                    partitions: 6
                    redundancy: %d
                    colocate_with: customers
                """.formatted(redundancy, redundancy));
        return SpecLoader.load("cluster.yaml", yaml.toString(), ENVIRONMENT).spec().orElseThrow();
    }

    static ConnectionFactory factory() {
        return new ConnectionFactory(ConninfoSecrets.of(ENVIRONMENT), "shardman-apply", Duration.ofSeconds(10));
    }

    static Recorder apply(ClusterSpec spec) {
        Recorder recorder = new Recorder();
        new ApplyEngine(factory(), ConninfoSecrets.of(ENVIRONMENT), new FaultHook(ENVIRONMENT)).withoutInitialSyncWait().apply(spec, PlanOptions.DEFAULTS, Optional.empty(), recorder);
        return recorder;
    }

    /** What apply told its listener. */
    static final class Recorder implements ApplyListener {
        final List<MoveReport> reports = Collections.synchronizedList(new ArrayList<>());
        final List<MoveProgress> progress = Collections.synchronizedList(new ArrayList<>());
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<String> steps = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void recovered(List<String> fixed) {
            lines.addAll(fixed);
        }

        @Override
        public boolean confirm(Plan plan) {
            return true;
        }

        @Override
        public void stepDone(Step step, Duration took) {
            steps.add(step.id().value());
        }

        @Override
        public void stepFailed(Step step, String message) {
            lines.add("FAILED " + step.id().value() + ": " + message);
        }

        @Override
        public void progress(String line) {
            lines.add(line);
        }

        @Override
        public void moveProgress(MoveProgress update) {
            progress.add(update);
        }

        @Override
        public void moveDone(MoveReport report) {
            reports.add(report);
        }

        @Override
        public void notAttempted(Step step) {
        }
    }

    /** A move's connections on fresh sessions of the test (all closed by {@link #close()}, as a crash would). */
    static final class TestConnections implements MoveConnections, AutoCloseable {
        private final ConnectionFactory factory = factory();
        private final Map<String, Connection> shared = new java.util.TreeMap<>();
        private final List<Connection> opened = new ArrayList<>();

        @Override
        public synchronized Connection shared(NodeState node) {
            return shared.computeIfAbsent(node.name(), name -> factory.connect(ConnectionTarget.node(name, node.superConninfo())));
        }

        @Override
        public synchronized Connection open(NodeState node) {
            Connection connection = factory.connect(ConnectionTarget.node(node.name(), node.superConninfo()));
            opened.add(connection);
            return connection;
        }

        Connection shardlord(TestCluster cluster) {
            return factory.connect(ConnectionTarget.shardlord(cluster.conninfo(cluster.shardlord())));
        }

        @Override
        public synchronized void close() {
            List<Connection> all = new ArrayList<>(shared.values());
            all.addAll(opened);
            for (Connection connection : all) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // closing like a crash would
                }
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    static long queryLong(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    static void execute(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Publications, subscriptions and slots named shardman_move_%, and the schema shardman_retired, on every worker: must be 0. */
    static void assertNoMoveObjects(TestCluster cluster, int workers) throws SQLException {
        for (int worker = 1; worker <= workers; worker++) {
            assertEquals(0L, queryLong(cluster, worker, """
                    SELECT (SELECT count(*) FROM pg_publication WHERE pubname LIKE 'shardman\\_move\\_%')
                         + (SELECT count(*) FROM pg_subscription WHERE subname LIKE 'shardman\\_move\\_%')
                         + (SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'shardman\\_move\\_%')
                         + (SELECT count(*) FROM pg_constraint WHERE conname LIKE 'shardman\\_move\\_%')"""), "move objects left on w" + worker);
        }
    }

    /** Whether {@code partition} is a local partition attached to its parent on the worker. */
    static boolean attachedLocally(TestCluster cluster, int worker, String partition) throws SQLException {
        return queryLong(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname = '" + partition
                + "' AND relkind = 'r' AND relispartition AND relnamespace = 'public'::regnamespace") == 1;
    }
}
