package dev.shardman.cli.apply;

import dev.shardman.cli.testkit.CatalogSnapshot;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledApply;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static dev.shardman.cli.testkit.WorkerSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing changes before "yes": what an interrupted run left (a hand-dropped foreign partition; a move killed after its
 * cutover) is shown by plan and apply, and an apply answered "no" leaves every catalog and the metadata exactly as they
 * were (snapshots equal); a stale saved plan exits 4 the same way; answered "yes" (or --auto-approve) apply repairs and
 * converges.
 */
@LocalClusterTest(workers = 3)
class ConfirmBeforeRecoveryIT {
    private static final String TABLES = (ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS).replace("redundancy: 1", "redundancy: 0");
    private static final String HEADING = "Interrupted work to finish first";

    @TempDir
    Path directory;

    @Test
    void nothingChangesBeforeYes(TestCluster cluster) throws Exception {
        Path two = ClusterSpecFiles.write(cluster, directory.resolve("two.yaml"), 2, TABLES);
        CliRun created = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        execute(cluster, 1, "INSERT INTO customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 3000) g");
        execute(cluster, 1, "INSERT INTO orders (customer_id, order_id, amount) SELECT g, 1, g FROM generate_series(1, 3000) g");

        handDroppedForeignPartitionIsRepairedOnlyAfterYes(cluster, two);
        moveKilledAfterCutoverIsFinishedOnlyAfterYes(cluster);
        assertEquals(3000, queryLong(cluster, 3, "SELECT count(*) FROM customers"));
        assertEquals(3000, queryLong(cluster, 2, "SELECT count(*) FROM orders"));
    }

    private void handDroppedForeignPartitionIsRepairedOnlyAfterYes(TestCluster cluster, Path two) throws Exception {
        String foreign = strings(cluster, 1, "SELECT relname FROM pg_class WHERE relkind = 'f' AND relname LIKE 'customers\\_%\\_fdw' ORDER BY 1").get(0);
        execute(cluster, 1, "DROP FOREIGN TABLE public." + foreign);

        CliRun plan = CliRun.of("plan", "-f", two.toString(), "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), "interrupted work pending: " + plan.out() + plan.err());
        assertTrue(plan.out().contains(HEADING) && plan.out().contains("w1: ") && plan.out().contains(foreign), plan.out());
        CliRun json = CliRun.of("plan", "-f", two.toString(), "--json");
        assertTrue(json.out().contains("\"format_version\" : \"1\"") && json.out().contains("\"interrupted_work\"")
                && json.out().contains("\"kind\" : \"repair-object\""), json.out());

        CatalogSnapshot before = CatalogSnapshot.of(cluster);
        CliRun declined = CliRun.answering("no\n", "apply", "-f", two.toString());
        assertEquals(0, declined.exitCode(), declined.out() + declined.err());
        assertTrue(declined.out().contains(HEADING) && declined.out().contains("Apply cancelled; nothing was changed."), declined.out());
        assertEquals(before, CatalogSnapshot.of(cluster), "an apply answered 'no' changed nothing");
        assertEquals(List.of(), strings(cluster, 1, "SELECT relname FROM pg_class WHERE relname = '" + foreign + "'"));

        CliRun approved = CliRun.answering("yes\n", "apply", "-f", two.toString());
        assertEquals(0, approved.exitCode(), approved.out() + approved.err());
        assertEquals(List.of(foreign), strings(cluster, 1, "SELECT relname FROM pg_class WHERE relname = '" + foreign + "'"), approved.out());
        assertEquals(0, CliRun.of("plan", "-f", two.toString(), "--detailed-exitcode").exitCode());
    }

    private void moveKilledAfterCutoverIsFinishedOnlyAfterYes(TestCluster cluster) throws Exception {
        Path three = ClusterSpecFiles.write(cluster, directory.resolve("three.yaml"), 3, TABLES);
        Path saved = directory.resolve("three.plan");
        CliRun planned = CliRun.of("plan", "-f", three.toString(), "--out", saved.toString());
        assertEquals(0, planned.exitCode(), planned.out() + planned.err());
        String move = RebalanceFixture.pendingMoves(three).get(0);
        KilledApply.at(directory, three, move + "@cutover-done");

        CatalogSnapshot killed = CatalogSnapshot.of(cluster);
        assertTrue(killed.rows().get("shardlord moves").stream().anyMatch(row -> row.contains("cutover") || row.contains("verify")),
                "the move is in flight past its cutover: " + killed.rows().get("shardlord moves"));
        CliRun stale = CliRun.of("apply", saved.toString(), "--auto-approve");
        assertEquals(4, stale.exitCode(), stale.out() + stale.err());
        assertEquals(killed, CatalogSnapshot.of(cluster), "a stale saved plan changed nothing");

        CliRun plan = CliRun.of("plan", "-f", three.toString());
        assertTrue(plan.out().contains(HEADING) && plan.out().contains("finish the move of"), plan.out());
        CliRun declined = CliRun.answering("no\n", "apply", "-f", three.toString());
        assertEquals(0, declined.exitCode(), declined.out() + declined.err());
        assertTrue(declined.out().contains("finish the move of") && declined.out().contains("Apply cancelled; nothing was changed."), declined.out());
        assertEquals(killed, CatalogSnapshot.of(cluster), "an apply answered 'no' after an interrupted move changed nothing");

        CliRun finish = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, finish.exitCode(), finish.out() + finish.err());
        assertEquals(0, CliRun.of("plan", "-f", three.toString(), "--detailed-exitcode").exitCode());
        CliRun drift = CliRun.of("drift-check", "-f", three.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
        CliRun verify = CliRun.of("verify", "-f", three.toString());
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    }
}
