package dev.shardman.bench;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.ApplyResult;
import dev.shardman.applier.execute.DriftCheck;
import dev.shardman.applier.execute.DriftReport;
import dev.shardman.applier.objects.ChangeSql;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeObjects;
import dev.shardman.applier.objects.ObjectDiff;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.SqlStatement;
import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.UpResult;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.templates.Templates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The applier benchmark of issue 4: on a local cluster (1 shardlord + 3 workers), {@code tables} × {@code partitions}
 * created by {@link ApplyEngine#apply} end to end, against the floor of the same DDL ({@link ChangeSql}'s statements)
 * sent straight to the workers, once a statement per round trip and once batched, interleaved in fresh databases each
 * round; then drift-check's time and query count. What the floor leaves out: docs/internals/benchmarks.md, "Apply
 * benchmark".
 *
 * <p>Usage: {@code bench/run-apply.sh [tables partitions rounds warmup basePort]} (defaults 10 64 7 1 56430).
 */
public final class ApplyBenchmark {
    private static final String APPLICATION_NAME = "shardman-bench";

    private ApplyBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int tables = argument(arguments, 0, 10);
        int partitions = argument(arguments, 1, 64);
        int rounds = argument(arguments, 2, 7);
        int warmup = argument(arguments, 3, 1);
        int basePort = argument(arguments, 4, 56430);
        Path directory = Files.createTempDirectory("shardman-apply-bench");
        LocalCluster local = new LocalCluster();
        try {
            // inside the try: a start that fails part way leaves the other servers running
            UpResult cluster = local.up(new LocalClusterConfig(directory, 3, PostgresMajorVersion.DEFAULT, basePort));
            if (System.getenv("BENCH_LOG_STATEMENTS") != null) {
                // Profiling aid: every statement's server-side duration in each instance's postgres.log under the printed directory.
                for (InstanceReport instance : cluster.instances()) {
                    execute(instance, "postgres", "ALTER SYSTEM SET log_min_duration_statement = 0");
                    execute(instance, "postgres", "SELECT pg_reload_conf()");
                }
                System.out.println("statement logs under " + directory);
            }
            run(cluster, tables, partitions, rounds, warmup);
        } finally {
            local.down(directory);
        }
    }

    private static void run(UpResult cluster, int tables, int partitions, int rounds, int warmup) throws Exception {
        List<InstanceReport> instances = cluster.instances();
        System.out.printf("cluster: %s, PostgreSQL %s, %d tables x %d partitions on %d workers, %d rounds (+%d warm-up)%n",
                instances.get(0).serverVersion(), cluster.postgresMajor(), tables, partitions, instances.size() - 1, rounds, warmup);
        List<Long> floor = new ArrayList<>();
        List<Long> batched = new ArrayList<>();
        List<Long> apply = new ArrayList<>();
        String lastApplied = "";
        for (int round = 0; round < warmup + rounds; round++) {
            String applyDatabase = "bench_apply_" + round;
            String floorDatabase = "bench_floor_" + round;
            String batchedDatabase = "bench_batched_" + round;
            List<String> databases = List.of(applyDatabase, floorDatabase, batchedDatabase);
            for (InstanceReport instance : instances) {
                for (String database : databases) {
                    execute(instance, "postgres", "CREATE DATABASE " + database);
                }
            }
            long[] nanos = new long[3];
            for (int turn = 0; turn < 3; turn++) {
                int variant = (round + turn) % 3;
                nanos[variant] = switch (variant) {
                    case 0 -> floor(instances, spec(instances, floorDatabase, tables, partitions), floorDatabase, false);
                    case 1 -> floor(instances, spec(instances, batchedDatabase, tables, partitions), batchedDatabase, true);
                    default -> apply(spec(instances, applyDatabase, tables, partitions));
                };
            }
            checkSameObjects(instances, applyDatabase, floorDatabase);
            checkSameObjects(instances, applyDatabase, batchedDatabase);
            boolean counted = round >= warmup;
            System.out.printf("round %d%s: floor %d ms, floor batched %d ms, apply %d ms%n", round, counted ? "" : " (warm-up)",
                    nanos[0] / 1_000_000, nanos[1] / 1_000_000, nanos[2] / 1_000_000);
            if (counted) {
                floor.add(nanos[0]);
                batched.add(nanos[1]);
                apply.add(nanos[2]);
            }
            if (round < warmup + rounds - 1) {
                for (InstanceReport instance : instances) {
                    for (String database : databases) {
                        execute(instance, "postgres", "DROP DATABASE " + database + " WITH (FORCE)");
                    }
                }
            } else {
                lastApplied = applyDatabase;
            }
        }
        long applyMedian = median(apply);
        System.out.printf("floor (one statement per round trip)  median %d ms, samples %s%n", median(floor) / 1_000_000, millis(floor));
        System.out.printf("floor (JDBC batches, like apply)      median %d ms, samples %s%n", median(batched) / 1_000_000, millis(batched));
        System.out.printf("apply                                 median %d ms, samples %s%n", applyMedian / 1_000_000, millis(apply));
        for (List<Long> base : List.of(floor, batched)) {
            double ratio = (double) applyMedian / median(base);
            System.out.printf("ratio apply/%s (medians) %.2f, goal <= 1.5: %s%n", base == floor ? "floor" : "floor batched", ratio,
                    ratio <= 1.5 ? "met" : "MISSED");
        }
        // BENCH_DRIFT_RUNS: more drift-check samples than apply rounds (drift-check alone costs far less)
        int driftRuns = Integer.parseInt(System.getenv().getOrDefault("BENCH_DRIFT_RUNS", Integer.toString(rounds)));
        driftCheck(instances, spec(instances, lastApplied, tables, partitions), lastApplied, driftRuns);
    }

    private static long apply(ClusterSpec spec) {
        ApplyEngine engine = ApplyEngine.fromEnvironment();
        long started = System.nanoTime();
        ApplyResult result = engine.apply(spec, PlanOptions.DEFAULTS, Optional.empty(), new AutoApprove());
        long took = System.nanoTime() - started;
        if (result.stepsDone() == 0) {
            throw new IllegalStateException("apply ran no step");
        }
        return took;
    }

    /** The same DDL as apply's node work, one connection and one transaction per worker, workers in parallel. */
    private static long floor(List<InstanceReport> instances, ClusterSpec spec, String database, boolean batched) throws Exception {
        Plan plan = Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS);
        ClusterState state = StateProjection.project(ClusterState.empty(), plan);
        ChangeSql changeSql = new ChangeSql(Templates.shared(), PasswordSource.none());
        Map<String, NodeObjects> expected = ExpectedObjects.forAll(state);
        List<List<String>> scripts = new ArrayList<>();
        for (int worker = 1; worker < instances.size(); worker++) {
            NodeObjects objects = expected.get("w" + worker);
            scripts.add(changeSql.script(ObjectDiff.diff(objects, NodeObjects.empty(objects.node()))).stream().map(SqlStatement::text).toList());
        }
        ExecutorService threads = Executors.newFixedThreadPool(scripts.size());
        try {
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int index = 0; index < scripts.size(); index++) {
                InstanceReport instance = instances.get(index + 1);
                List<String> script = scripts.get(index);
                running.add(threads.submit(() -> {
                    try (Connection connection = connect(instance, database); Statement statement = connection.createStatement()) {
                        connection.setAutoCommit(false);
                        for (String sql : script) {
                            if (batched) {
                                statement.addBatch(sql);
                            } else {
                                statement.execute(sql);
                            }
                        }
                        if (batched) {
                            statement.executeBatch();
                        }
                        connection.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            return System.nanoTime() - started;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Both databases must hold the same relations, indexes and foreign servers on every worker (the floor is the same work). */
    private static void checkSameObjects(List<InstanceReport> instances, String applyDatabase, String floorDatabase) throws SQLException {
        String census = "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace)::text || ' relations, '"
                + " || (SELECT count(*) FROM pg_foreign_server)::text || ' servers, ' || (SELECT count(*) FROM pg_user_mappings)::text || ' mappings'";
        for (InstanceReport instance : instances.subList(1, instances.size())) {
            String applied = query(instance, applyDatabase, census);
            String direct = query(instance, floorDatabase, census);
            if (!applied.equals(direct)) {
                throw new IllegalStateException(instance.name() + ": apply made " + applied + ", the floor " + direct);
            }
        }
    }

    private static void driftCheck(List<InstanceReport> instances, ClusterSpec spec, String database, int rounds) throws Exception {
        DriftCheck check = new DriftCheck(ConnectionFactory.fromEnvironment(DriftCheck.APPLICATION_NAME));
        List<Long> samples = new ArrayList<>();
        check.check(spec, List.of(), Duration.ofHours(1));
        long[] before = transactions(instances, database);
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            DriftReport report = check.check(spec, List.of(), Duration.ofHours(1));
            samples.add(System.nanoTime() - started);
            if (!report.inSync()) {
                throw new IllegalStateException("drift-check found drift on the applied cluster: " + report);
            }
        }
        long[] after = transactions(instances, database);
        System.out.printf("drift-check median %d ms, samples %s%n", median(samples) / 1_000_000, millis(samples));
        StringBuilder perNode = new StringBuilder();
        for (int index = 1; index < instances.size(); index++) {
            perNode.append(instances.get(index).name()).append(' ').append(String.format("%.1f", (after[index] - before[index] - 1) / (double) rounds)).append(' ');
        }
        System.out.println("drift-check transactions per node per run (pg_stat_database.xact_commit: an upper bound on its queries, it also counts"
                + " background transactions such as autovacuum's; exact statements: BENCH_LOG_STATEMENTS=1): " + perNode.toString().strip()
                + "; shardlord " + String.format("%.1f", (after[0] - before[0] - 1) / (double) rounds));
    }

    /** xact_commit of {@code database} on every instance, after the statistics of ended sessions are flushed. */
    private static long[] transactions(List<InstanceReport> instances, String database) throws Exception {
        Thread.sleep(1500);
        long[] result = new long[instances.size()];
        for (int index = 0; index < instances.size(); index++) {
            result[index] = Long.parseLong(query(instances.get(index), "postgres",
                    "SELECT xact_commit::text FROM pg_stat_database WHERE datname = '" + database + "'"));
        }
        return result;
    }

    private static ClusterSpec spec(List<InstanceReport> instances, String database, int tables, int partitions) {
        StringBuilder yaml = new StringBuilder("cluster: bench\nshardlord: \"" + conninfo(instances.get(0), database) + "\"\nnodes:\n");
        for (int worker = 1; worker < instances.size(); worker++) {
            yaml.append("  - {name: w").append(worker).append(", super_conninfo: \"").append(conninfo(instances.get(worker), database))
                    .append("\", replication_group: rg1}\n");
        }
        yaml.append("tables:\n");
        for (int table = 1; table <= tables; table++) {
            yaml.append("  - name: t").append(table).append('\n')
                    .append("    type: sharded\n")
                    .append("    columns:\n")
                    .append("      - {name: id, type: bigint, nullable: false}\n")
                    .append("      - {name: name, type: text, nullable: false, default: \"''\"}\n")
                    .append("      - {name: created_at, type: timestamptz, nullable: false, default: \"now()\"}\n")
                    .append("    primary_key: [id]\n")
                    .append("    indexes:\n")
                    .append("      - {name: t").append(table).append("_created_idx, columns: [created_at]}\n")
                    .append("    sharding_key: id\n")
                    .append("    partitions: ").append(partitions).append('\n');
        }
        return SpecLoader.load("bench.yaml", yaml.toString(), Map.of()).spec().orElseThrow();
    }

    private static String conninfo(InstanceReport instance, String database) {
        return "host=127.0.0.1 port=" + instance.port() + " dbname=" + database + " user=postgres";
    }

    private static Connection connect(InstanceReport instance, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + instance.port() + "/" + database + "?user=postgres&ApplicationName="
                + APPLICATION_NAME);
    }

    private static void execute(InstanceReport instance, String database, String sql) throws SQLException {
        try (Connection connection = connect(instance, database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(InstanceReport instance, String database, String sql) throws SQLException {
        try (Connection connection = connect(instance, database); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private static long median(List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String millis(List<Long> samples) {
        return samples.stream().map(nanos -> String.valueOf(nanos / 1_000_000)).toList().toString();
    }

    private static int argument(String[] arguments, int index, int fallback) {
        return arguments.length > index ? Integer.parseInt(arguments[index]) : fallback;
    }
}
