package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A shared table's master change under writers on every node and a reader counting rows on every node: no
 * acknowledged insert is lost or duplicated, no read on any node ever sees fewer rows than the table had before the
 * change (a node's count never goes down: no copy is emptied and copied again), every copy equals the new master
 * afterwards, verify and drift-check find nothing, and no writer got an error (the writes that reach the old master after
 * its fence are forwarded). The same with apply killed inside the change, then run again; a down node is named and
 * nothing changes until it is back.
 */
@LocalClusterTest(workers = 3)
class SharedMasterChangeIT {
    private static final int WORKERS = 3;
    private static final int BASELINE_ROWS = 2_000;
    private static final Duration CONVERGENCE = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    @Test
    void theMasterChangesUnderWritersWithNoLostWriteAndNoEmptyRead(TestCluster cluster) throws Exception {
        Path[] specs = specs(cluster, "ledger");
        try (Traffic traffic = Traffic.start(cluster, "ledger")) {
            Thread.sleep(1_000);
            CliRun changed = CliRun.of("apply", "-f", specs[1].toString(), "--auto-approve");
            assertEquals(0, changed.exitCode(), changed.out() + changed.err());
            assertTrue((changed.out() + changed.err()).contains("write fence on w1"), changed.out() + changed.err());
            Thread.sleep(1_000);
            traffic.stop();
            assertConverged(cluster, traffic, "ledger", 2);
            System.out.println("SharedMasterChangeIT: " + traffic.describe() + "; apply said: "
                    + lineWith(changed.out() + changed.err(), "write fence"));
        }
        assertEquals(0, CliRun.of("verify", "-f", specs[1].toString()).exitCode());
        assertEquals(0, CliRun.of("drift-check", "-f", specs[1].toString()).exitCode());
        CliRun again = CliRun.of("apply", "-f", specs[1].toString(), "--auto-approve");
        assertTrue(again.out().contains("No changes"), again.out());
    }

    @Test
    void anApplyKilledInsideTheChangeConvergesOnTheNextRun(TestCluster cluster) throws Exception {
        Path[] specs = specs(cluster, "journal_entries");
        try (Traffic traffic = Traffic.start(cluster, "journal_entries")) {
            Thread.sleep(500);
            KilledApply.at(directory, specs[1], "change-shared-master:journal_entries@fenced");
            CliRun rerun = CliRun.of("apply", "-f", specs[1].toString(), "--auto-approve");
            assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
            Thread.sleep(500);
            // and back to w1, killed once its metadata committed (the other nodes and the channels not switched yet)
            KilledApply.at(directory, specs[0], "change-shared-master:journal_entries@after-commit");
            CliRun finished = CliRun.of("apply", "-f", specs[0].toString(), "--auto-approve");
            assertEquals(0, finished.exitCode(), finished.out() + finished.err());
            Thread.sleep(500);
            // and killed with the old master's fence prepared, no decision yet: the next run rolls it back and starts again
            KilledApply.at(directory, specs[1], "change-shared-master:journal_entries@after-node-work");
            CliRun resumed = CliRun.of("apply", "-f", specs[1].toString(), "--auto-approve");
            assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
            CliRun back = CliRun.of("apply", "-f", specs[0].toString(), "--auto-approve");
            assertEquals(0, back.exitCode(), back.out() + back.err());
            Thread.sleep(500);
            traffic.stop();
            assertConverged(cluster, traffic, "journal_entries", 1);
            System.out.println("SharedMasterChangeIT (killed three times): " + traffic.describe());
        }
        assertEquals(0, CliRun.of("verify", "-f", specs[0].toString()).exitCode());
        assertEquals(0, CliRun.of("drift-check", "-f", specs[0].toString()).exitCode());
    }

    @Test
    void aDownNodeIsNamedAndNothingChangesUntilItIsBack(TestCluster cluster) throws Exception {
        Path[] specs = specs(cluster, "tariffs");
        KilledWorker.kill(cluster, 3);
        try {
            CliRun refused = CliRun.of("apply", "-f", specs[1].toString(), "--auto-approve");
            assertEquals(1, refused.exitCode(), refused.out() + refused.err());
            assertTrue((refused.out() + refused.err()).contains("w3"), refused.out() + refused.err());
            execute(cluster, 2, "INSERT INTO tariffs VALUES (-1, 'while w3 is down')");
            assertEquals(1L, queryLong(cluster, 1, "SELECT count(*) FROM shardman_shared.tariffs WHERE id = -1"), "w1 is still the master");
        } finally {
            KilledWorker.restart(cluster, WORKERS);
        }
        CliRun changed = CliRun.of("apply", "-f", specs[1].toString(), "--auto-approve");
        assertEquals(0, changed.exitCode(), changed.out() + changed.err());
        execute(cluster, 3, "INSERT INTO tariffs VALUES (-2, 'after the change')");
        assertEquals(1L, queryLong(cluster, 2, "SELECT count(*) FROM shardman_shared.tariffs WHERE id = -2"), "w2 is the master");
        awaitCopies(cluster, "tariffs", 2, BASELINE_ROWS + 2);
        assertEquals(0, CliRun.of("drift-check", "-f", specs[1].toString()).exitCode());
    }

    @Test
    void aLostMasterIsReplacedByTheNewMastersCopy(TestCluster cluster) throws Exception {
        Path[] specs = specs(cluster, "currencies");
        Path lost = directory.resolve("currencies-lost.yaml");
        java.nio.file.Files.writeString(lost, java.nio.file.Files.readString(specs[1]).replace("  - name: w1\n", "  - name: w1\n    lost: true\n"));
        KilledWorker.kill(cluster, 1);
        try {
            CliRun failedOver = CliRun.of("apply", "-f", lost.toString(), "--auto-approve");
            assertEquals(0, failedOver.exitCode(), failedOver.out() + failedOver.err());
            execute(cluster, 3, "INSERT INTO currencies VALUES (-1, 'after the failover')");
            assertEquals(1L, queryLong(cluster, 2, "SELECT count(*) FROM shardman_shared.currencies WHERE id = -1"), "w2 is the master");
            long rows = queryLong(cluster, 2, "SELECT count(*) FROM shardman_shared.currencies");
            assertEquals(BASELINE_ROWS + 1L, rows);
            String checksum = "SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM shardman_shared.currencies AS t";
            long deadline = System.nanoTime() + CONVERGENCE.toNanos();
            while (!strings(cluster, 3, checksum).equals(strings(cluster, 2, checksum))) {
                assertTrue(System.nanoTime() < deadline, "w3's copy " + strings(cluster, 3, checksum) + ", w2's " + strings(cluster, 2, checksum));
                Thread.sleep(200);
            }
            assertEquals(0, CliRun.of("drift-check", "-f", lost.toString()).exitCode());
        } finally {
            KilledWorker.restart(cluster, WORKERS);
        }
    }

    /** The spec with {@code table} mastered on w1 (applied, with the baseline rows on every copy) and the one with w2. */
    private Path[] specs(TestCluster cluster, String table) throws Exception {
        String tables = """
                  - name: %s
                    type: shared
                    columns:
                      - {name: id, type: bigint, nullable: false}
                      - {name: origin, type: text, nullable: false}
                    primary_key: [id]
                    master: w1
                """.formatted(table);
        Path first = ClusterSpecFiles.write(cluster, directory.resolve(table + "-w1.yaml"), WORKERS, tables);
        Path second = ClusterSpecFiles.write(cluster, directory.resolve(table + "-w2.yaml"), WORKERS, tables.replace("master: w1", "master: w2"));
        CliRun applied = CliRun.of("apply", "-f", first.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        execute(cluster, 1, "INSERT INTO " + table + " SELECT g, 'baseline' FROM generate_series(1, " + BASELINE_ROWS + ") AS g");
        awaitCopies(cluster, table, 1, BASELINE_ROWS);
        return new Path[] {first, second};
    }

    private static void assertConverged(TestCluster cluster, Traffic traffic, String table, int master) throws Exception {
        long rows = queryLong(cluster, master, "SELECT count(*) FROM shardman_shared." + table);
        awaitCopies(cluster, table, master, rows);
        Set<Long> present = new HashSet<>();
        for (String id : strings(cluster, master, "SELECT id FROM shardman_shared." + table)) {
            present.add(Long.parseLong(id));
        }
        List<Long> lost = traffic.acknowledged.stream().filter(id -> !present.contains(id)).sorted().toList();
        assertEquals(List.of(), lost, "acknowledged inserts lost (" + traffic.describe() + ")");
        assertEquals(rows, queryLong(cluster, master, "SELECT count(DISTINCT id) FROM " + table));
        assertEquals(List.of(), traffic.readFailures, "reads that saw rows disappear or fewer than the baseline");
        // writes that waited on the fence, or came through a node not repointed yet, are forwarded to the new master
        assertEquals(0L, traffic.errors.get(), traffic.describe());
        for (int worker = 1; worker <= WORKERS; worker++) {
            assertEquals(0L, queryLong(cluster, worker, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'shardman_handover%'"),
                    "handover slots left on w" + worker);
        }
    }

    /** Waits until every worker's copy has {@code rows} rows and the master's checksum. */
    private static void awaitCopies(TestCluster cluster, String table, int master, long rows) throws Exception {
        String checksum = "SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM shardman_shared." + table + " AS t";
        String expected = strings(cluster, master, checksum).get(0);
        assertTrue(expected.startsWith(rows + ":"), expected);
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        for (int worker = 1; worker <= WORKERS; worker++) {
            while (!strings(cluster, worker, checksum).get(0).equals(expected)) {
                if (System.nanoTime() > deadline) {
                    fail("w" + worker + "'s copy of " + table + " is " + strings(cluster, worker, checksum).get(0) + ", the master's " + expected);
                }
                Thread.sleep(200);
            }
        }
    }

    private static String lineWith(String output, String text) {
        return output.lines().filter(line -> line.contains(text)).findFirst().orElse("(no line with '" + text + "')");
    }

    /**
     * One writer per worker inserting new ids through the view (autocommit; a failed insert is retried with a new id, an
     * insert whose connection broke is uncertain), and one reader counting the rows on every worker in turn.
     */
    private static final class Traffic implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        private final List<String> readFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong reads = new AtomicLong();
        private final AtomicLong longestGapMillis = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        static Traffic start(TestCluster cluster, String table) {
            Traffic traffic = new Traffic();
            for (int worker = 1; worker <= WORKERS; worker++) {
                int node = worker;
                traffic.threads.add(daemon(() -> traffic.write(cluster, table, node)));
            }
            traffic.threads.add(daemon(() -> traffic.read(cluster, table)));
            return traffic;
        }

        private static Thread daemon(Runnable work) {
            Thread thread = new Thread(work, "shared-master-traffic");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private void write(TestCluster cluster, String table, int worker) {
            long next = worker * 1_000_000_000L;
            long lastAck = System.nanoTime();
            Connection connection = null;
            while (running.get()) {
                try {
                    if (connection == null) {
                        connection = cluster.connect(cluster.worker(worker));
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, origin) VALUES (?, ?)")) {
                        insert.setLong(1, ++next);
                        insert.setString(2, "w" + worker);
                        insert.executeUpdate();
                    }
                    acknowledged.add(next);
                    long now = System.nanoTime();
                    longestGapMillis.accumulateAndGet(Duration.ofNanos(now - lastAck).toMillis(), Math::max);
                    lastAck = now;
                    Thread.sleep(2);
                } catch (SQLException failure) {
                    errors.incrementAndGet();
                    if (errorSamples.size() < 5) {
                        errorSamples.add("w" + worker + ": " + failure.getMessage());
                    }
                    connection = reconnectIfBroken(connection);
                } catch (InterruptedException stop) {
                    return;
                }
            }
            closeQuietly(connection);
        }

        private void read(TestCluster cluster, String table) {
            long[] last = new long[WORKERS + 1];
            while (running.get()) {
                for (int worker = 1; worker <= WORKERS; worker++) {
                    try (Connection connection = cluster.connect(cluster.worker(worker)); Statement statement = connection.createStatement();
                         ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
                        row.next();
                        long count = row.getLong(1);
                        reads.incrementAndGet();
                        if (count < BASELINE_ROWS || count < last[worker]) {
                            readFailures.add("w" + worker + " counted " + count + " rows after " + last[worker]);
                        }
                        last[worker] = Math.max(last[worker], count);
                    } catch (SQLException failure) {
                        readFailures.add("w" + worker + ": read failed: " + failure.getMessage());
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }

        String describe() {
            return acknowledged.size() + " acknowledged inserts, " + errors.get() + " client errors" + (errorSamples.isEmpty() ? "" : " " + errorSamples)
                    + ", longest gap between two acknowledged inserts of one writer " + longestGapMillis.get() + " ms, " + reads.get() + " reads";
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private static Connection reconnectIfBroken(Connection connection) {
            try {
                if (connection != null && connection.isValid(2)) {
                    return connection;
                }
            } catch (SQLException ignored) {
                // reconnect below
            }
            closeQuietly(connection);
            return null;
        }

        private static void closeQuietly(Connection connection) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // already gone
                }
            }
        }
    }
}
