package dev.shardman.cli.faults;

import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults of the cluster lock and of the two-phase commit, deterministic: the lock's session killed while apply
 * waits between its node work and its commit (the holder stops, commits nothing, and a rerun converges); the reply to
 * the shardlord's COMMIT lost (apply reads the decision back and completes the step); prepared transactions left on a
 * node with and without a decision (recover resolves both and prunes the decisions); a grouped round killed before and
 * after its commit.
 */
@LocalClusterTest(workers = 2)
class LockAndTwoPhaseFaultIT {
    private static final String STEP = "create-sharded-table:customers";
    private static final String PREPARED = "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'shardman\\_%' AND database = current_database()";

    @TempDir
    Path directory;

    @Test
    void aHolderWhoseLockSessionWasKilledStopsBeforeItsNextCommit(TestCluster cluster) throws Exception {
        Path spec = spec(cluster);
        Path go = directory.resolve("go");
        Path log = directory.resolve("apply.log");
        Process child = childApply(spec, log, Map.of("SHARDMAN_PAUSE", STEP + "@after-node-work", "SHARDMAN_PAUSE_FILE", go.toString()));
        ChildCli.awaitFile(go.resolveSibling("go.waiting"), null, child, log);
        assertFalse(Files.readString(go.resolveSibling("go.waiting")).isBlank());
        long serial = query(cluster, "SELECT serial FROM shardman.cluster");
        Timestamp lost;
        try (Connection shardlord = cluster.connect(cluster.shardlord()); Statement statement = shardlord.createStatement()) {
            lost = timestamp(statement, "SELECT clock_timestamp()");
            statement.execute("SELECT pg_terminate_backend(backend_pid, 60000) FROM shardman.lock_holder");
            assertTrue(queryWorker(cluster, 1, PREPARED) > 0, "the paused step holds prepared transactions");
            try (Connection thief = cluster.connect(cluster.shardlord());
                 ClusterLock taken = ClusterLock.acquire(thief, "recover", Optional.empty())) {
                Files.writeString(go, "go");
                assertTrue(child.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), "apply went on after the pause");
                String output = Files.readString(log);
                assertEquals(1, child.exitValue(), output);
                assertTrue(output.contains("the cluster lock of this apply was lost") && output.contains("it is held by recover of"), output);
                assertEquals(serial, query(cluster, "SELECT serial FROM shardman.cluster"), "nothing committed after the loss");
                try (var rows = shardlord.prepareStatement("SELECT count(*) FROM shardman.journal WHERE status IN ('done', 'committed') "
                        + "AND finished_at > ?")) {
                    rows.setTimestamp(1, lost);
                    try (ResultSet row = rows.executeQuery()) {
                        row.next();
                        assertEquals(0, row.getLong(1), "no journal row finished after the loss");
                    }
                }
                assertEquals(0, query(cluster, "SELECT count(*) FROM shardman.decisions"));
            }
        }
        assertEquals(0, queryWorker(cluster, 1, PREPARED) + queryWorker(cluster, 2, PREPARED), "the holder rolled its node work back");
        converges(spec);
    }

    @Test
    void aLostReplyToTheShardlordCommitIsReadBackAndTheStepCompletes(TestCluster cluster) throws Exception {
        Path spec = spec(cluster);
        Path log = directory.resolve("apply.log");
        Process child = childApply(spec, log, Map.of("SHARDMAN_FAULT", STEP + "@lost-commit-reply"));
        assertTrue(child.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), "apply finished");
        String output = Files.readString(log);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("reply to the commit of " + STEP + " was lost; read back: committed"), output);
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals(0, queryWorker(cluster, worker, PREPARED), "w" + worker + " committed its prepared transaction");
            assertEquals(1, queryWorker(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname = 'customers' AND relkind = 'p'"),
                    "customers is on w" + worker);
        }
        assertEquals(0, query(cluster, "SELECT count(*) FROM shardman.decisions"), "the decisions were forgotten once committed everywhere");
        converges(spec);
    }

    @Test
    void recoverResolvesEveryPreparedTransactionAndPrunesTheDecisions(TestCluster cluster) throws Exception {
        Path spec = spec(cluster);
        assertEquals(0, CliRun.of("apply", "-f", spec.toString(), "--auto-approve").exitCode());
        String undecided = "shardman_" + "a".repeat(32) + "_1_1";
        String committed = "shardman_" + "b".repeat(32) + "_1_1";
        try (Connection w1 = cluster.connect(cluster.worker(1)); Statement statement = w1.createStatement()) {
            statement.execute("CREATE TABLE probe (id integer PRIMARY KEY)");
            // a PREPARE whose reply was lost: nothing records it
            statement.execute("BEGIN");
            statement.execute("INSERT INTO probe VALUES (1)");
            statement.execute("PREPARE TRANSACTION '" + undecided + "'");
            statement.execute("BEGIN");
            statement.execute("INSERT INTO probe VALUES (2)");
            statement.execute("PREPARE TRANSACTION '" + committed + "'");
        }
        try (Connection shardlord = cluster.connect(cluster.shardlord()); Statement statement = shardlord.createStatement()) {
            statement.execute("INSERT INTO shardman.journal (plan_id, step_id, description, status) VALUES ('p', 's', 'a step', 'committed')");
            statement.execute("INSERT INTO shardman.decisions (gid, journal_id, decision) SELECT '" + committed + "', max(id), 'commit' FROM shardman.journal");
            statement.execute("INSERT INTO shardman.decisions (gid, journal_id, decision, decided_at) SELECT 'shardman_" + "c".repeat(32)
                    + "_1_1', max(id), 'commit', now() - interval '2 days' FROM shardman.journal");
        }
        CliRun recover = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        assertTrue(recover.out().contains("w1: rolled back prepared transaction " + undecided), recover.out());
        assertTrue(recover.out().contains("w1: committed prepared transaction " + committed), recover.out());
        assertEquals(0, queryWorker(cluster, 1, PREPARED));
        assertEquals(2, queryWorker(cluster, 1, "SELECT sum(id) FROM probe"), "only the decided transaction committed");
        assertEquals(0, query(cluster, "SELECT count(*) FROM shardman.decisions"), "no node holds a decided gid: all pruned");
    }

    /**
     * The plan's steps, the node registrations included, run as ONE round (StepGroup): killed once every node
     * PREPAREd, nothing of the round is committed and recover rolls it all back; killed once its metadata committed,
     * every step of it is committed and recover commits the nodes. One gid per node for the whole round.
     */
    @Test
    void aGroupedRoundKilledBeforeItsCommitRollsBackWholeAndAfterItCommitsWhole(TestCluster cluster) throws Exception {
        Path spec = spec(cluster);
        String tables = "step_id IN ('" + STEP + "', 'create-sharded-table:orders')";
        KilledApply.at(directory, spec, "create-sharded-table:orders@round-prepared");
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals(1, queryWorker(cluster, worker, PREPARED + " AND gid ~ '_[0-9]+-[0-9]+_[0-9]+$'"), "one grouped gid on w" + worker);
        }
        assertEquals(2, query(cluster, "SELECT count(*) FROM shardman.journal WHERE " + tables + " AND status = 'prepared'"), "a row per step");
        assertEquals(0, query(cluster, "SELECT count(*) FROM shardman.decisions"), "no decision: nothing of the round committed");
        assertEquals(0, query(cluster, "SELECT count(*) FROM shardman.nodes"), "the registrations were in the round: recover finds the nodes in the spec");
        CliRun rolledBack = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, rolledBack.exitCode(), rolledBack.out() + rolledBack.err());
        assertTrue(rolledBack.out().contains("w2: rolled back prepared transaction shardman_"), rolledBack.out());
        assertEquals(0, queryWorker(cluster, 1, PREPARED) + queryWorker(cluster, 2, PREPARED));
        assertEquals(0, queryWorker(cluster, 1, "SELECT count(*) FROM pg_class WHERE relname IN ('customers', 'orders')"));

        KilledApply.at(directory, spec, "create-sharded-table:orders@round-committed");
        assertEquals(2, query(cluster, "SELECT count(*) FROM shardman.journal WHERE " + tables + " AND status = 'committed'"));
        assertEquals(2, query(cluster, "SELECT count(*) FROM shardman.decisions WHERE decision = 'commit'"), "one decision per node");
        CliRun committed = CliRun.of("recover", "-f", spec.toString());
        assertEquals(0, committed.exitCode(), committed.out() + committed.err());
        assertTrue(committed.out().contains("w1: committed prepared transaction shardman_"), committed.out());
        for (int worker = 1; worker <= 2; worker++) {
            assertEquals(0, queryWorker(cluster, worker, PREPARED));
            assertEquals(2, queryWorker(cluster, worker, "SELECT count(*) FROM pg_class WHERE relname IN ('customers', 'orders') AND relkind = 'p'"));
        }
        assertEquals(0, query(cluster, "SELECT count(*) FROM shardman.decisions"), "pruned once no node holds them");
        converges(spec);
    }

    /**
     * A column change killed once its round is PREPAREd: the prepared transactions hold ACCESS EXCLUSIVE on customers
     * on every node. drift-check's catalog reads wait behind them: it names them and says recover, within its lock
     * wait, where it used to wait out the node timeout and call every node unreachable.
     */
    @Test
    void preparedTransactionsHoldingLocksAreNamedNotTakenForUnreachableNodes(TestCluster cluster) throws Exception {
        Path spec = spec(cluster);
        assertEquals(0, CliRun.of("apply", "-f", spec.toString(), "--auto-approve").exitCode());
        Path altered = Files.writeString(directory.resolve("altered.yaml"), Files.readString(spec)
                .replace("      - {name: country, type: \"char(2)\"}\n", "      - {name: country, type: \"char(2)\"}\n      - {name: note, type: text}\n"));
        java.util.regex.Matcher step = java.util.regex.Pattern.compile("\"id\" : \"(add-column:customers\\.note[^\"]*)\"")
                .matcher(CliRun.of("plan", "-f", altered.toString(), "--json").out());
        assertTrue(step.find(), "the column's step");
        KilledApply.at(directory, altered, step.group(1) + "@round-prepared");

        CliRun drift = CliRun.of("drift-check", "-f", altered.toString());
        assertEquals(2, drift.exitCode(), drift.out() + drift.err());
        for (String node : List.of("w1", "w2")) {
            assertTrue(drift.out().matches("(?s).*" + node + ": objects: could not be read: a catalog read waited \\d+ s for a lock .*; prepared transaction\\(s\\) "
                    + "shardman_[\\w-]+ of an interrupted apply hold such locks: run shardman recover.*"), drift.out());
        }
        assertFalse(drift.out().contains("Unreachable"), drift.out());
        CliRun recover = CliRun.of("recover", "-f", altered.toString());
        assertEquals(0, recover.exitCode(), recover.out() + recover.err());
        converges(altered);
    }

    private Path spec(TestCluster cluster) throws IOException {
        return ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2,
                (ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS).replace("redundancy: 1", "redundancy: 0"));
    }

    private static void converges(Path spec) {
        CliRun rerun = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
        assertEquals(0, CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode").exitCode());
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }

    /** {@code shardman apply --auto-approve} in a child JVM with the test-only {@code environment}. */
    private static Process childApply(Path spec, Path log, Map<String, String> environment) throws IOException {
        return ChildCli.start(log, environment, "apply", "-f", spec.toString(), "--auto-approve");
    }

    private static long query(TestCluster cluster, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.shardlord()); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static long queryWorker(TestCluster cluster, int worker, String sql) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Timestamp timestamp(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getTimestamp(1);
        }
    }
}
