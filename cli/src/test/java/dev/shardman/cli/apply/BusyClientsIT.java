package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.ChildCli;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step's DDL meets a client that holds a lock on the table longer than one lock wait (chaos seed 31006: a writer held
 * the parent while it waited, through postgres_fdw, on the step's own prepared work on another node). The step used to
 * fail on its lock timeout; its node work is now rolled back and tried again in rounds of short waits, as a failover's is.
 * A writer waiting for its synchronous replica no longer makes such a wait at all (the lock order of SourceLocks).
 */
@LocalClusterTest(workers = 2)
class BusyClientsIT {
    private static final String CLIENT = "busy-client";
    private static final String INTO_ROUNDS = "ran out of lock wait; the step's node work was rolled back and is tried again with short lock waits";
    private static final String CREATED_AT = "      - {name: created_at, type: timestamptz, nullable: false, default: \"now()\"}\n";
    private static final String REPLICATED = ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 2");
    /** Without replicas: the column is one step, which no round of several steps tries first. */
    private static final String TABLE = ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 4").replace("redundancy: 1", "redundancy: 0");

    @TempDir
    Path directory;

    @Test
    void aColumnIsAddedOnceAClientThatHeldTheTableLetsGo(TestCluster cluster) throws Exception {
        Path wider = appliedThenWider(cluster);

        Path log = directory.resolve("apply.log");
        Process apply;
        try (Connection holder = cluster.connect(cluster.worker(1), CLIENT); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM customers").close(); // a lock on the parent and every partition
            apply = ChildCli.start(log, Map.of(), "apply", "-f", wider.toString(), "--auto-approve");
            // the client lets go once the first attempt ran out of its lock wait, however long the machine took to get there
            ChildCli.awaitFile(log, INTO_ROUNDS, apply, log);
            holder.commit();
        }
        assertTrue(apply.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), Files.readString(log));

        assertEquals(0, apply.exitValue(), Files.readString(log));
        assertEquals(1L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'note'"));
        assertEquals(0L, WorkerSql.queryLong(cluster, 1, "SELECT count(*) FROM pg_prepared_xacts"));
        CliRun drift = CliRun.of("drift-check", "-f", wider.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }

    @Test
    void aClientThatNeverLetsGoIsNamedAfterTheLockWait(TestCluster cluster) throws Exception {
        Path wider = appliedThenWider(cluster);

        try (Connection holder = cluster.connect(cluster.worker(1), CLIENT); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            int pid = pid(statement);
            statement.executeQuery("SELECT count(*) FROM customers").close();
            CliRun blocked = assertTimeoutPreemptively(Duration.ofMinutes(3),
                    () -> CliRun.of("apply", "-f", wider.toString(), "--auto-approve", "--lock-wait", "3s"));
            String output = blocked.out() + blocked.err();
            assertEquals(1, blocked.exitCode(), output);
            assertTrue(output.contains("the step could not take its locks on w1 in 3 s"), output);
            assertTrue(output.contains("pid " + pid) && output.contains("'" + CLIENT + "'"), "the error names the blocking session: " + output);
            holder.rollback();
        }
        assertEquals(0L, WorkerSql.queryLong(cluster, 1, "SELECT count(*) FROM pg_prepared_xacts"), "nothing of the failed step stays prepared");
        assertEquals(0L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM pg_prepared_xacts"), "nothing of the failed step stays prepared");
        CliRun rerun = CliRun.of("apply", "-f", wider.toString(), "--auto-approve");
        assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
    }

    /**
     * Under synchronous replication a writer on w1 commits while the step works: its commit waits for w2's apply
     * worker. The step used to lock w2's replica first (and PREPARE there), so the apply worker waited on the step, the
     * writer on the apply worker while it held w1's partition, and the step on the writer, until the lock timeout ended
     * the attempt. Every node now locks the tables writers use before any node touches a replica.
     */
    @Test
    void aWriterWaitingForItsSynchronousReplicaDoesNotHoldUpTheStep(TestCluster cluster) throws Exception {
        Path wider = withNote(syncApplied(cluster, REPLICATED), CREATED_AT, "sync-wider.yaml");
        String partition = WorkerSql.localPartitions(cluster, 1).get(0);

        long id = commitAfterTheStepReachedW2(cluster, wider, writer -> insertInto(writer, partition), "customers", "ShareLock");

        assertEquals(1L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM public." + partition + " WHERE id = " + id), "the acknowledged row is on the replica");
        assertEquals(1L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'note'"));
    }

    /** The same with a shared table: a writer through its view on the master, its copy on w2. */
    @Test
    void aWriterThroughASharedTablesViewDoesNotHoldUpTheStep(TestCluster cluster) throws Exception {
        Path wider = withNote(syncApplied(cluster, ClusterSpecFiles.COUNTRIES), "      - {name: name, type: text, nullable: false}\n", "sync-wider.yaml");

        commitAfterTheStepReachedW2(cluster, wider, writer -> {
            try (Statement statement = writer.createStatement()) {
                statement.execute("INSERT INTO countries (code, name) VALUES ('zz', 'Zedland')");
            }
            return 0L;
        }, "countries", "AccessExclusiveLock");

        assertEquals(1L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM shardman_shared.countries WHERE code = 'zz'"), "the acknowledged row is on the copy");
        assertEquals(1L, WorkerSql.queryLong(cluster, 2, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'countries'::regclass AND attname = 'note'"));
    }

    /** The writer's work on w1, in a transaction the test holds. */
    private interface Write {
        long run(Connection writer) throws SQLException;
    }

    /**
     * Starts the apply of {@code wider} while {@code write}'s transaction is open on w1, commits it once the step holds
     * {@code relation} on w2 in {@code mode} (with the lock order) or has PREPAREd there (without), and checks that no
     * attempt of the step ran out of its lock wait and that drift-check finds nothing. Returns what {@code write} did.
     */
    private long commitAfterTheStepReachedW2(TestCluster cluster, Path wider, Write write, String relation, String mode) throws Exception {
        Path log = directory.resolve("sync-apply.log");
        Process apply;
        long written;
        try (Connection writer = cluster.connect(cluster.worker(1), CLIENT); Connection w2 = cluster.connect(cluster.worker(2))) {
            writer.setAutoCommit(false);
            written = write.run(writer);
            apply = ChildCli.start(log, Map.of(), "apply", "-f", wider.toString(), "--auto-approve");
            awaitStepHeldOn(w2, relation, mode, apply, log);
            writer.commit(); // waits for w2's apply worker to have the row
        }
        assertTrue(apply.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, apply.exitValue(), output);
        assertFalse(output.contains("lock timeout") || output.contains("lock wait"), "no attempt ran out of its lock wait: " + output);
        CliRun drift = CliRun.of("drift-check", "-f", wider.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        return written;
    }

    /** Applies {@code table} with synchronous replication on 2 workers; returns its spec. */
    private Path syncApplied(TestCluster cluster, String table) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("sync.yaml"), 2, table);
        ClusterSpecFiles.withSettings(spec, spec, "  sync_replication: true\n");
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        return spec;
    }

    /** Inserts a row straight into {@code partition} (as a postgres_fdw session does) in the open transaction; returns its id. */
    private static long insertInto(Connection writer, String partition) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            for (long id = 1; ; id++) {
                statement.execute("SAVEPOINT probe");
                try {
                    statement.execute("INSERT INTO public.\"" + partition + "\" (id) VALUES (" + id + ")");
                    return id;
                } catch (SQLException outsideThePartition) {
                    assertEquals("23514", outsideThePartition.getSQLState(), outsideThePartition.getMessage());
                    statement.execute("ROLLBACK TO SAVEPOINT probe");
                }
            }
        }
    }

    /** Waits until the step's session on w2 holds {@code relation} in {@code mode} or w2 has PREPAREd the step's work. */
    private static void awaitStepHeldOn(Connection w2, String relation, String mode, Process apply, Path log) throws Exception {
        String held = "SELECT (SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'shardman%') + (SELECT count(*) FROM pg_locks l"
                + " JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'shardman-apply' AND l.granted"
                + " AND l.relation = 'public." + relation + "'::regclass AND l.mode = '" + mode + "')";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ChildCli.HANG_GUARD_SECONDS);
        while (Long.parseLong(WorkerSql.query(w2, held)) == 0) {
            assertTrue(apply.isAlive(), "apply ended before its step reached w2: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "the step never reached w2: " + Files.readString(log));
            Thread.sleep(20);
        }
    }

    /** Applies the table, and returns a spec that adds the column {@code note} to it. */
    private Path appliedThenWider(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, TABLE);
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        return withNote(spec, CREATED_AT, "wider.yaml");
    }

    /** {@code spec} with the column {@code note} after the column line {@code last}, written beside it as {@code name}. */
    private static Path withNote(Path spec, String last, String name) throws Exception {
        String before = Files.readString(spec);
        String after = before.replace(last, last + "      - {name: note, type: text}\n");
        assertTrue(!after.equals(before), "the spec gained a column: " + before);
        return Files.writeString(spec.resolveSibling(name), after);
    }

    private static int pid(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }
}
