package dev.shardman.bench;

import dev.shardman.cli.ShardmanCli;
import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.UpResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The rebalance benchmark of issue 14: on a local cluster of {@code workers} workers (started here), apply a spec of
 * {@code tables} sharded tables × {@code partitions} near-empty partitions at redundancy 1 on all workers but the last,
 * then add the last one with {@code shardman apply --auto-approve} (the real command line, in-process, so that
 * extra apply options pass through) and report its end-to-end time, and from the shardlord's journal the number of
 * primary and replica moves and the duration of each (from its start to the next step's start: what it costs the apply), and the write fences
 * ({@code shardman.moves.fence_ms}).
 *
 * <p>Usage: {@code bench/run-rebalance.sh [workers tables partitions basePort [extra apply arguments...]]}
 * (defaults 10 8 60 56700; ports basePort..basePort+workers must be free). The cluster's directory is deleted at the end.
 */
public final class RebalanceBenchmark {
    private static final String DATABASE = "bench_rebalance";
    private static final int ROWS_PER_TABLE = 1_000;

    private RebalanceBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int workers = argument(arguments, 0, 10);
        int tables = argument(arguments, 1, 8);
        int partitions = argument(arguments, 2, 60);
        int basePort = argument(arguments, 3, 56700);
        List<String> extra = arguments.length > 4 ? Arrays.asList(arguments).subList(4, arguments.length) : List.of();
        Path directory = Files.createTempDirectory("shardman-rebalance-bench");
        LocalCluster local = new LocalCluster();
        try {
            // inside the try: a start that fails part way (a port taken meanwhile) leaves the other servers running
            UpResult cluster = local.up(new LocalClusterConfig(directory, workers, PostgresMajorVersion.DEFAULT, basePort));
            for (InstanceReport instance : cluster.instances()) {
                BenchSql.execute(instance, "postgres", "CREATE DATABASE " + DATABASE);
            }
            run(cluster.instances(), directory, tables, partitions, extra);
        } finally {
            local.down(directory);
            MoveBenchmark.deleteRecursively(directory);
        }
    }

    private static void run(List<InstanceReport> instances, Path directory, int tables, int partitions, List<String> extra) throws Exception {
        int workers = instances.size() - 1;
        System.out.printf("cluster: %s, %d workers, %d tables x %d partitions, redundancy 1, %d rows per table; adding w%d; extra apply arguments %s%n",
                instances.get(0).serverVersion(), workers, tables, partitions, ROWS_PER_TABLE, workers, extra);
        Path before = writeSpec(instances, directory.resolve("before.yaml"), workers - 1, tables, partitions);
        apply(before, List.of());
        load(instances.get(1), tables);
        Path after = writeSpec(instances, directory.resolve("after.yaml"), workers, tables, partitions);
        long sessionsBefore = sessions(instances);
        long started = System.nanoTime();
        // a mark for tools sampling the machine beside the benchmark (e.g. CPU time per process kind during the timed apply)
        System.out.println("timed apply starts at " + System.currentTimeMillis());
        try {
            apply(after, extra);
            System.out.printf("sessions opened on the servers during the apply (pg_stat_database.sessions, all databases): %d%n",
                    sessions(instances) - sessionsBefore - instances.size());
        } finally {
            // a failed apply's finished moves are still in the journal: their figures are printed before the failure
            report(instances.get(0), System.nanoTime() - started);
        }
    }

    /** Sessions ever opened on all instances, the counting ones included (PostgreSQL 14 and later; one per instance here). */
    private static long sessions(List<InstanceReport> instances) throws SQLException {
        long sessions = 0;
        for (InstanceReport instance : instances) {
            sessions += BenchSql.queryLong(instance, "postgres", "SELECT sum(sessions) FROM pg_stat_database");
        }
        return sessions;
    }

    /** Runs {@code shardman apply -f spec --auto-approve extra...}; its output is printed only when it fails. */
    private static void apply(Path spec, List<String> extra) {
        List<String> arguments = new ArrayList<>(List.of("apply", "-f", spec.toString(), "--auto-approve"));
        arguments.addAll(extra);
        StringWriter out = new StringWriter();
        int exitCode = ShardmanCli.commandLine(new PrintWriter(out, true), new PrintWriter(out, true)).execute(arguments.toArray(String[]::new));
        if (exitCode != 0) {
            System.out.println(out);
            throw new IllegalStateException("shardman " + String.join(" ", arguments) + " exited with " + exitCode);
        }
    }

    /** A few rows per table through w1's parents, spread over the partitions ("near-empty", not empty). */
    private static void load(InstanceReport worker, int tables) throws SQLException {
        for (int table = 1; table <= tables; table++) {
            BenchSql.execute(worker, DATABASE, "INSERT INTO t" + table + " (id) SELECT g FROM generate_series(1, " + ROWS_PER_TABLE + ") g");
        }
    }

    private static void report(InstanceReport shardlord, long tookNanos) throws SQLException {
        List<Double> primary = new ArrayList<>();
        List<Double> replica = new ArrayList<>();
        List<Double> fences = new ArrayList<>();
        try (Connection connection = BenchSql.connect(shardlord, DATABASE, "shardman-bench")) {
            String plan = "(SELECT plan_id FROM shardman.journal ORDER BY id DESC LIMIT 1)";
            // a step's journal row ends at its metadata commit; what follows it (COMMIT PREPARED, the channels, a move's
            // cleanup) runs before the next step starts: a move costs the apply from its start to the next step's start
            try (PreparedStatement statement = connection.prepareStatement("SELECT step_id, extract(epoch FROM coalesce(next_start, finished_at)"
                    + " - started_at) * 1000 FROM (SELECT *, lead(started_at) OVER (ORDER BY id) AS next_start FROM shardman.journal"
                    + " WHERE plan_id = " + plan + ") steps WHERE step_id LIKE 'move-%' AND finished_at IS NOT NULL"
                    + " AND status NOT IN ('started', 'failed', 'rolled_back') ORDER BY id");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    (rows.getString(1).startsWith("move-primary:") ? primary : replica).add(rows.getDouble(2));
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT fence_ms FROM shardman.moves WHERE plan_id = " + plan
                    + " AND fence_ms IS NOT NULL"); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    fences.add(rows.getDouble(1));
                }
            }
        }
        System.out.printf("apply (adding the node): %.1f s end to end, %d primary moves, %d replica moves finished%n", tookNanos / 1e9, primary.size(),
                replica.size());
        System.out.println("primary move (its start to the next step's start): " + figures(primary));
        System.out.println("replica move (its start to the next step's start): " + figures(replica));
        System.out.println("write fence:  " + figures(fences));
        stepTimes(shardlord, tookNanos);
        double worst = Math.max(primary.isEmpty() ? 0 : median(primary), replica.isEmpty() ? 0 : median(replica));
        System.out.printf("fixed cost per move (median of each kind, the larger) %.0f ms, goal <= 500 ms: %s%n", worst, worst <= 500 ? "met" : "MISSED");
    }

    /** Where the apply's time went: each step kind's total, the span of the steps, and what lies outside them (planning, preflight, waits). */
    private static void stepTimes(InstanceReport shardlord, long tookNanos) throws SQLException {
        String plan = "(SELECT plan_id FROM shardman.journal ORDER BY id DESC LIMIT 1)";
        try (Connection connection = BenchSql.connect(shardlord, DATABASE, "shardman-bench");
             PreparedStatement kinds = connection.prepareStatement("SELECT split_part(step_id, ':', 1), count(*),"
                     + " sum(extract(epoch FROM finished_at - started_at)) * 1000 FROM shardman.journal WHERE plan_id = " + plan
                     + " AND finished_at IS NOT NULL GROUP BY 1 ORDER BY 3 DESC");
             PreparedStatement span = connection.prepareStatement("SELECT extract(epoch FROM max(finished_at) - min(started_at)) * 1000,"
                     + " sum(extract(epoch FROM finished_at - started_at)) * 1000 FROM shardman.journal WHERE plan_id = " + plan)) {
            try (ResultSet rows = kinds.executeQuery()) {
                while (rows.next()) {
                    System.out.printf("  steps %-28s %3d, %8.0f ms in all%n", rows.getString(1), rows.getInt(2), rows.getDouble(3));
                }
            }
            try (ResultSet row = span.executeQuery()) {
                row.next();
                System.out.printf("  first step start to last step end %.0f ms (steps %.0f ms, between steps %.0f ms); outside the steps %.0f ms%n",
                        row.getDouble(1), row.getDouble(2), row.getDouble(1) - row.getDouble(2), tookNanos / 1e6 - row.getDouble(1));
            }
        }
    }

    private static String figures(List<Double> millis) {
        if (millis.isEmpty()) {
            return "none";
        }
        return String.format("median %.0f ms, min %.0f ms, max %.0f ms (%d)", median(millis), Collections.min(millis), Collections.max(millis), millis.size());
    }

    private static Path writeSpec(List<InstanceReport> instances, Path file, int nodes, int tables, int partitions) throws Exception {
        StringBuilder yaml = new StringBuilder("cluster: bench\nshardlord: \"" + conninfo(instances.get(0)) + "\"\nnodes:\n");
        for (int worker = 1; worker <= nodes; worker++) {
            yaml.append("  - {name: w").append(worker).append(", super_conninfo: \"").append(conninfo(instances.get(worker)))
                    .append("\", replication_group: rg1}\n");
        }
        yaml.append("tables:\n");
        for (int table = 1; table <= tables; table++) {
            yaml.append("  - name: t").append(table).append('\n')
                    .append("    type: sharded\n")
                    .append("    columns:\n")
                    .append("      - {name: id, type: bigint, nullable: false}\n")
                    .append("      - {name: name, type: text, nullable: false, default: \"''\"}\n")
                    .append("    primary_key: [id]\n")
                    .append("    sharding_key: id\n")
                    .append("    partitions: ").append(partitions).append('\n')
                    .append("    redundancy: 1\n");
        }
        return Files.writeString(file, yaml.toString());
    }

    private static String conninfo(InstanceReport instance) {
        return "host=127.0.0.1 port=" + instance.port() + " dbname=" + DATABASE + " user=postgres";
    }

    private static double median(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static int argument(String[] arguments, int index, int fallback) {
        return arguments.length > index ? Integer.parseInt(arguments[index]) : fallback;
    }
}
