package dev.shardman.cli.testkit;

import dev.shardman.cli.moves.MoveCrashIT;
import dev.shardman.cli.moves.RebalanceIT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.applier.replication.Channel;
import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.shardlordState;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The set-up and the end checks shared by RebalanceIT and MoveCrashIT: a sharded table {@code items}
 * of 24 partitions (redundancy 0: replica moves belong to another branch's executor) with a colocated
 * sibling {@code item_notes} and a shared table {@code regions}, 200,000 items and 20,000 notes loaded
 * by COPY through w1, on 3 workers, then w4 added (24 partitions over 4 nodes: 6 moves).
 */
public final class RebalanceFixture {
    public static final int ITEMS = 200_000;
    public static final int NOTES = 20_000;
    public static final long FIRST_NEW_ID = 1_000_000;
    public static final int WRITER_WORKER = 3;
    public static final int WRITER_RATE = 200;
    public static final String TABLES = """
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: val, type: bigint, nullable: false, default: "0"}
                  - {name: note, type: text}
                primary_key: [id]
                sharding_key: id
                partitions: 24
                redundancy: 0
              - name: item_notes
                type: sharded
                columns:
                  - {name: item_id, type: bigint, nullable: false}
                  - {name: note_id, type: integer, nullable: false}
                  - {name: body, type: text}
                primary_key: [item_id, note_id]
                sharding_key: item_id
                partitions: 24
                redundancy: 0
                colocate_with: items
              - name: regions
                type: shared
                columns:
                  - {name: code, type: text, nullable: false}
                  - {name: name, type: text}
                primary_key: [code]
                master: w1
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RebalanceFixture() {
    }

    public static Path spec(TestCluster cluster, Path directory, int workers) throws IOException {
        return spec(cluster, directory, workers, 0);
    }

    /** The spec with {@code redundancy} replicas per partition (above 0, the rebalance also moves replicas: MoveReplica). */
    public static Path spec(TestCluster cluster, Path directory, int workers, int redundancy) throws IOException {
        return ClusterSpecFiles.write(cluster, directory.resolve("cluster-" + workers + ".yaml"), workers,
                TABLES.replace("redundancy: 0", "redundancy: " + redundancy));
    }

    /** Applies the 3-worker spec and loads the rows. */
    public static void setUp(TestCluster cluster, Path directory) throws Exception {
        setUp(cluster, directory, 0);
    }

    public static void setUp(TestCluster cluster, Path directory, int redundancy) throws Exception {
        Path three = spec(cluster, directory, 3, redundancy);
        CliRun applied = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        StringBuilder items = new StringBuilder();
        for (int id = 1; id <= ITEMS; id++) {
            items.append(id).append("\t0\titem ").append(id).append('\n');
        }
        StringBuilder notes = new StringBuilder();
        for (int id = 1; id <= NOTES; id++) {
            notes.append(id * 7L).append('\t').append(id % 3).append("\tnote ").append(id).append('\n');
        }
        try (Connection w1 = cluster.connect(cluster.worker(1))) {
            assertEquals(ITEMS, w1.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY items (id, val, note) FROM STDIN", new StringReader(items.toString())));
            assertEquals(NOTES, w1.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY item_notes (item_id, note_id, body) FROM STDIN", new StringReader(notes.toString())));
        }
        execute(cluster, 2, "INSERT INTO regions VALUES ('eu', 'Europe'), ('us', 'Americas'), ('ap', 'Asia Pacific')");
    }

    /** The move-primary step ids of the plan to {@code spec}, in execution order. */
    public static List<String> pendingMoves(Path spec) throws IOException {
        return pendingSteps(spec, "move-primary:");
    }

    /** The ids of the plan's steps to {@code spec} that start with {@code prefix}, in execution order. */
    public static List<String> pendingSteps(Path spec, String prefix) throws IOException {
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--json");
        assertTrue(plan.exitCode() == 0, plan.out() + plan.err());
        List<String> moves = new ArrayList<>();
        for (JsonNode step : JSON.readTree(plan.out()).get("steps")) {
            if (step.get("id").asText().startsWith(prefix)) {
                moves.add(step.get("id").asText());
            }
        }
        return moves;
    }

    /** Row count and checksum of a table through its parent on w1 (every partition, wherever it is). */
    public static String fingerprint(TestCluster cluster, String table) throws SQLException {
        return strings(cluster, 1, "SELECT count(*) || ' rows, checksum ' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM " + table + " AS t").get(0);
    }

    /**
     * The end state after the rebalance: nothing left to plan, the writer's log intact through every
     * worker's parent table, verify and drift-check clean, 6 items partitions per node, nothing orphaned.
     * Returns the retired copies the moves kept on purpose (see {@link #keptRetiredCopies}).
     */
    public static Map<String, Set<String>> assertConverged(TestCluster cluster, Path spec, WriterLog log, String notesBefore) throws Exception {
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), "no changes left: " + plan.out() + plan.err());
        for (int worker = 1; worker <= 4; worker++) {
            WriterCheck check = WriterCheck.of(cluster, worker, log);
            assertTrue(check.clean(log), "through w" + worker + ": " + check + "; writer: " + log.describe());
        }
        assertEquals(0, log.updatesThatFoundNoRow(), log.describe());
        assertEquals(notesBefore, fingerprint(cluster, "item_notes"), "the colocated sibling moved with its anchor, unchanged");
        CliRun verify = CliRun.of("verify", "-f", spec.toString(), "--json");
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
        JsonNode report = JSON.readTree(verify.out());
        long expectedRows = ITEMS + log.inserted().size() + NOTES + 3;
        long rows = report.get("summary").get("rows").asLong();
        assertTrue(rows >= expectedRows && rows <= expectedRows + log.uncertain().size(),
                "the primaries account for every row: " + rows + " vs " + expectedRows);
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        ClusterState state = shardlordState(cluster);
        assertEquals(state.replicas().size() + 3, report.get("summary").get("compared").asInt(), "every replica, and the regions copies on w2, w3, w4");
        for (NodeState node : state.nodes()) {
            assertEquals(6, state.partitionsOf("items").stream().filter(partition -> partition.node().equals(node.name())).count(),
                    "items partitions on " + node.name());
        }
        return assertNothingOrphaned(cluster, state);
    }

    /**
     * On every worker: the publications, subscriptions and replication slots of the test database are
     * exactly those the metadata explains (no move channel left), the relations named after the sharded
     * tables are exactly the parent, the held partitions, the foreign partitions of the others and the
     * replica tables the node holds (no proxy or old copy left), in shardman_retired only the copies the moves metadata records as kept,
     * no prepared transaction. Returns those kept copies by node.
     */
    public static Map<String, Set<String>> assertNothingOrphaned(TestCluster cluster, ClusterState state) throws SQLException {
        List<Channel> channels = ExpectedChannels.of(state);
        Map<String, Set<String>> kept = keptRetiredCopies(cluster);
        for (NodeState node : state.nodes()) {
            int worker = Integer.parseInt(node.name().substring(1));
            Set<String> publications = new TreeSet<>();
            Set<String> subscriptions = new TreeSet<>();
            Set<String> slots = new TreeSet<>();
            for (Channel channel : channels) {
                if (channel.source().name().equals(node.name())) {
                    publications.add(channel.publication());
                    slots.add(channel.subscription());
                }
                if (channel.destination().name().equals(node.name())) {
                    subscriptions.add(channel.subscription());
                }
            }
            assertEquals(publications, new TreeSet<>(strings(cluster, worker, "SELECT pubname FROM pg_publication")), node.name() + " publications");
            assertEquals(subscriptions, new TreeSet<>(strings(cluster, worker,
                    "SELECT subname FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")),
                    node.name() + " subscriptions");
            assertEquals(slots, new TreeSet<>(strings(cluster, worker,
                    "SELECT slot_name FROM pg_replication_slots WHERE database = current_database()")), node.name() + " replication slots");
            for (TableState table : state.tables()) {
                if (!table.isSharded()) {
                    continue;
                }
                Set<String> expected = new TreeSet<>(List.of(table.name()));
                for (PartitionState partition : state.partitionsOf(table.name())) {
                    expected.add(partition.node().equals(node.name()) ? partition.name() : partition.name() + "_fdw");
                    if (state.replicaNodesOf(partition.name()).contains(node.name())) {
                        expected.add(partition.name());
                    }
                }
                assertEquals(expected, new TreeSet<>(strings(cluster, worker, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname = '" + table.schema() + "' AND c.relname ~ '^" + table.name() + "(_[0-9]+)?(_.*)?$'"
                        + " AND c.relname !~ '^" + table.name() + "_[a-z]'")), node.name() + " relations of " + table.name());
            }
            assertEquals(kept.getOrDefault(node.name(), Set.of()), new TreeSet<>(strings(cluster, worker,
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'shardman_retired' AND c.relkind IN ('r', 'p', 'f')")),
                    node.name() + ": retired copies other than those the moves metadata keeps");
            assertEquals(List.of("0"), strings(cluster, worker, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"),
                    node.name() + ": prepared transactions left");
        }
        return kept;
    }

    /**
     * The retired copies (schema shardman_retired on the move's source) that finished moves keep on
     * purpose, by node, as shardman.moves records them: a move whose cutover snapshot was lost in a crash
     * keeps its old copies unverified for the operator (MoveRunner), so they are explained, not orphans.
     */
    public static Map<String, Set<String>> keptRetiredCopies(TestCluster cluster) throws SQLException {
        Map<String, Set<String>> kept = new TreeMap<>();
        try (Connection shardlord = cluster.connect(cluster.shardlord()); Statement statement = shardlord.createStatement();
             ResultSet rows = statement.executeQuery("SELECT from_node, unnest(retired) FROM shardman.moves WHERE retired_kept")) {
            while (rows.next()) {
                kept.computeIfAbsent(rows.getString(1), node -> new TreeSet<>()).add(rows.getString(2));
            }
        }
        return kept;
    }

    /** One line per move in shardman.moves: step, phase, verification, whether the retired copies were kept. */
    public static List<String> moveRecords(TestCluster cluster) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection shardlord = cluster.connect(cluster.shardlord()); Statement statement = shardlord.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, step_id, phase, verification, retired_kept, fence_ms FROM shardman.moves ORDER BY id")) {
            while (rows.next()) {
                lines.add(rows.getLong(1) + " " + rows.getString(2) + " " + rows.getString(3) + " verification=" + rows.getString(4)
                        + " kept=" + rows.getString(5) + " fence_ms=" + rows.getString(6));
            }
        }
        return lines;
    }
}
