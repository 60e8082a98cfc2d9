package dev.shardman.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A column and an index added under the chaos suite's writers (one per node, every write crossing nodes through
 * postgres_fdw), no fault: how long the apply takes, and whether its first attempt ran out of lock wait. Each round
 * its own cluster of 5 workers; while the apply runs, every node's sessions that wait on a lock or on synchronous
 * replication are sampled to {@code waits.txt} (who waits, on what, blocked by whom), which is how a cycle shows.
 * Usage: {@code run-ddl-writers.sh ROUNDS sync|async sharded|shared|both}: which table gains the column (the sharded one
 * also the index), or both.
 */
public final class DdlUnderWriters {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(300);
    private static final String WAITS = """
            SELECT pid, backend_type, application_name, wait_event_type || '/' || wait_event, pg_blocking_pids(pid)::text,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 90)
            FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND (wait_event_type = 'Lock' OR wait_event = 'SyncRep')""";

    private DdlUnderWriters() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length != 3 || !Set.of("sync", "async").contains(arguments[1]) || !Set.of("sharded", "shared", "both").contains(arguments[2])) {
            System.err.println("usage: run-ddl-writers.sh ROUNDS sync|async sharded|shared|both");
            System.exit(64);
        }
        int rounds = Integer.parseInt(arguments[0]);
        boolean sync = arguments[1].equals("sync");
        String tables = arguments[2];
        Path jar = Path.of(System.getProperty("chaos.jar", "cli/target/shardman.jar")).toAbsolutePath();
        Path base = Files.createTempDirectory("shardman-ddl-writers-");
        ClusterTemplate template = ClusterTemplate.create(base, RoundPlan.WORKERS);
        List<Long> millis = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path directory = base.resolve("round-" + round);
            Files.createDirectories(directory);
            try (ChaosCluster cluster = ChaosCluster.start(directory.resolve("cluster"), template)) {
                millis.add(round(cluster, directory, jar, sync, tables, round));
            }
        }
        template.delete();
        List<Long> sorted = millis.stream().sorted().toList();
        int middle = sorted.size() / 2;
        long median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        System.out.printf("apply of the column and the index: median %d ms, min %d ms, max %d ms over %d rounds%n",
                median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static long round(ChaosCluster cluster, Path directory, Path jar, boolean sync, String tables, int round) throws Exception {
        List<String> nodes = List.of("w1", "w2", "w3", "w4", "w5");
        Cli cli = new Cli(jar, directory);
        Path initial = ChaosSpec.write(directory.resolve("initial.yaml"), cluster, nodes, Set.of(), sync, ChaosSpec.Tables.initial());
        Cli.Result setUp = cli.run(COMMAND_TIMEOUT, "apply", "-f", initial.toString(), "--auto-approve");
        if (!setUp.ok()) {
            throw new IllegalStateException("the initial apply failed: " + setUp + "\n" + setUp.tail(15));
        }
        Path wider = ChaosSpec.write(directory.resolve("wider.yaml"), cluster, nodes, Set.of(), sync, new ChaosSpec.Tables(true, 1, "w1", false));
        if (!tables.equals("both")) {
            keepOneTableAsItWas(wider, tables.equals("sharded"));
        }
        Writers writers = new Writers();
        Map<String, Integer> ports = new LinkedHashMap<>();
        nodes.forEach(node -> ports.put(node, cluster.port(node)));
        writers.start(ports);
        Thread.sleep(2_000);
        long started = System.nanoTime();
        Cli.Running apply = cli.start("apply", "-f", wider.toString(), "--auto-approve");
        List<String> waits = sampleWhileRunning(cluster, nodes, apply, started);
        Cli.Result result = apply.await(COMMAND_TIMEOUT);
        long millis = (System.nanoTime() - started) / 1_000_000;
        writers.stop();
        Files.write(directory.resolve("waits.txt"), waits);
        String output = Files.readString(result.log());
        boolean intoRounds = output.contains("ran out of lock wait") || output.contains("lock timeout");
        System.out.printf("round %d: exit %d in %d ms, %s; %d rows acknowledged; %s%n", round, result.exitCode(), millis,
                intoRounds ? "an attempt ran out of lock wait" : "no attempt ran out of lock wait", writers.acknowledgedCount(), result.log());
        return millis;
    }

    /**
     * The change of one table taken out of the spec again: the shared table's column (the last one, as {@link ChaosSpec}
     * writes the shared table last), or the sharded table's column (the first) and index.
     */
    private static void keepOneTableAsItWas(Path spec, boolean keepShared) throws Exception {
        String yaml = Files.readString(spec);
        String column = "      - {name: note, type: text}\n";
        int at = keepShared ? yaml.lastIndexOf(column) : yaml.indexOf(column);
        yaml = yaml.substring(0, at) + yaml.substring(at + column.length());
        if (!keepShared) {
            yaml = yaml.replace("    indexes:\n      - {name: chaos_items_writer, columns: [writer]}\n", "");
        }
        Files.writeString(spec, yaml);
    }

    private static List<String> sampleWhileRunning(ChaosCluster cluster, List<String> nodes, Cli.Running apply, long started) throws Exception {
        List<String> samples = new ArrayList<>();
        Map<String, Connection> sessions = new LinkedHashMap<>();
        try {
            for (String node : nodes) {
                sessions.put(node, DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port(node)
                        + "/postgres?user=postgres&ApplicationName=ddl-writers-sampler"));
            }
            while (apply.isAlive()) {
                long at = (System.nanoTime() - started) / 1_000_000;
                for (Map.Entry<String, Connection> node : sessions.entrySet()) {
                    sample(node.getKey(), node.getValue(), at, samples);
                }
                Thread.sleep(250);
            }
        } finally {
            for (Connection session : sessions.values()) {
                session.close();
            }
        }
        return samples;
    }

    private static void sample(String node, Connection session, long at, List<String> samples) throws SQLException {
        try (Statement statement = session.createStatement(); ResultSet rows = statement.executeQuery(WAITS)) {
            while (rows.next()) {
                samples.add(at + " ms " + node + " pid " + rows.getInt(1) + " " + rows.getString(2) + " '" + rows.getString(3) + "' waits on "
                        + rows.getString(4) + ", blocked by " + rows.getString(5) + ": " + rows.getString(6));
            }
        }
    }
}
