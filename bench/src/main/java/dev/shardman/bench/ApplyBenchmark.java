package dev.shardman.bench;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.ApplyListener;
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
import dev.shardman.planner.render.Templates;
import dev.shardman.planner.step.Step;

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
 * The applier benchmark of issue 4: on a local cluster (1 shardlord + 3 workers, started here), create
 * {@code tables} sharded tables × {@code partitions} partitions (redundancy 0) with {@code shardman apply}, and
 * run the same DDL directly (the floor), side by side, interleaved, in fresh databases each round (so
 * "everything is dropped between rounds"); then time drift-check on the applied cluster and count its queries.
 *
 * <p>The floor: for each worker, the statements {@link ChangeSql} renders to create that worker's expected objects
 * (extension, foreign servers, user mappings, parents, partitions, keys, indexes) of the state the plan leads to,
 * sent over one connection per worker in one transaction, the workers in parallel (one thread each); no
 * metadata, no locking, no inspection, no two-phase commit. Apply: {@link ApplyEngine#apply} end to end (metadata
 * migration, lock, recovery, plan, node registration, foreign servers, one two-phase-committed step per table,
 * each inspected and verified on every node before PREPARE).
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
        UpResult cluster = local.up(new LocalClusterConfig(directory, 3, PostgresMajorVersion.DEFAULT, basePort));
        try {
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
        List<Long> apply = new ArrayList<>();
        String lastApplied = "";
        for (int round = 0; round < warmup + rounds; round++) {
            String applyDatabase = "bench_apply_" + round;
            String floorDatabase = "bench_floor_" + round;
            for (InstanceReport instance : instances) {
                execute(instance, "postgres", "CREATE DATABASE " + applyDatabase);
                execute(instance, "postgres", "CREATE DATABASE " + floorDatabase);
            }
            ClusterSpec applySpec = spec(instances, applyDatabase, tables, partitions);
            ClusterSpec floorSpec = spec(instances, floorDatabase, tables, partitions);
            long floorNanos;
            long applyNanos;
            if (round % 2 == 0) {
                floorNanos = floor(instances, floorSpec, floorDatabase);
                applyNanos = apply(applySpec);
            } else {
                applyNanos = apply(applySpec);
                floorNanos = floor(instances, floorSpec, floorDatabase);
            }
            checkSameObjects(instances, applyDatabase, floorDatabase);
            boolean counted = round >= warmup;
            System.out.printf("round %d%s: floor %d ms, apply %d ms%n", round, counted ? "" : " (warm-up)", floorNanos / 1_000_000, applyNanos / 1_000_000);
            if (counted) {
                floor.add(floorNanos);
                apply.add(applyNanos);
            }
            if (round < warmup + rounds - 1) {
                for (InstanceReport instance : instances) {
                    execute(instance, "postgres", "DROP DATABASE " + applyDatabase + " WITH (FORCE)");
                    execute(instance, "postgres", "DROP DATABASE " + floorDatabase + " WITH (FORCE)");
                }
            } else {
                lastApplied = applyDatabase;
            }
        }
        long floorMedian = median(floor);
        long applyMedian = median(apply);
        double ratio = (double) applyMedian / floorMedian;
        System.out.printf("floor  median %d ms, samples %s%n", floorMedian / 1_000_000, millis(floor));
        System.out.printf("apply  median %d ms, samples %s%n", applyMedian / 1_000_000, millis(apply));
        System.out.printf("ratio apply/floor (medians) %.2f, goal <= 1.5: %s%n", ratio, ratio <= 1.5 ? "met" : "MISSED");
        driftCheck(instances, spec(instances, lastApplied, tables, partitions), lastApplied, rounds);
    }

    private static long apply(ClusterSpec spec) {
        ApplyEngine engine = new ApplyEngine(ConnectionFactory.fromEnvironment(ApplyEngine.APPLICATION_NAME), System.getenv());
        long started = System.nanoTime();
        ApplyResult result = engine.apply(spec, PlanOptions.DEFAULTS, Optional.empty(), new AutoApprove());
        long took = System.nanoTime() - started;
        if (result.stepsDone() == 0) {
            throw new IllegalStateException("apply ran no step");
        }
        return took;
    }

    /** The same DDL as apply's node work, one connection and one transaction per worker, workers in parallel. */
    private static long floor(List<InstanceReport> instances, ClusterSpec spec, String database) throws Exception {
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
                            statement.execute(sql);
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
        System.out.println("drift-check transactions per node per run (pg_stat_database.xact_commit; autocommit queries): " + perNode.toString().strip()
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

    /** Confirms every plan, reports nothing. */
    private static final class AutoApprove implements ApplyListener {
        @Override
        public void recovered(List<String> fixed) {
        }

        @Override
        public boolean confirm(Plan plan) {
            return true;
        }

        @Override
        public void stepDone(Step step, Duration took) {
        }

        @Override
        public void stepFailed(Step step, String message) {
        }

        @Override
        public void notAttempted(Step step) {
        }
    }
}
