package dev.shardman.cli.faults;

import dev.shardman.cli.docs.JsonSchemas;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.StoppedWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two of three workers SIGSTOPped (connection attempts get no answer) while commands only read: every read before
 * apply's question (column check, decided transactions, what an interrupted run left, the preflight) used to wait one
 * connect timeout per hung node, six in all here (at least 30 s with {@code node_timeout: 5s}), and status one per
 * hung node for the versions and one per channel touching one; now the nodes are connected to together and a node that
 * did not answer is not asked again. Each command still names both nodes and exits 0 (there is nothing to change).
 */
@LocalClusterTest(workers = 3)
class HungNodesReadIT {
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Four connect timeouts: the old code waited six at the least, whatever the load; the new one waits one, and the
     * rest is work that takes a few seconds even on a loaded machine.
     */
    private static final Duration BOUND = NODE_TIMEOUT.multipliedBy(4);

    @TempDir
    Path directory;

    @Test
    void applyPlanAndStatusWaitAboutOneConnectTimeoutForAllHungNodesNotOnePerNodePerRead(TestCluster cluster) throws Exception {
        Path example = ClusterSpecFiles.write(cluster, directory.resolve("example.yaml"), 3,
                ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS);
        Path spec = ClusterSpecFiles.withSettings(example, directory.resolve("cluster.yaml"), "  node_timeout: 5s\n");
        CliRun first = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, first.exitCode(), first.out() + first.err());

        StoppedWorker w2 = StoppedWorker.stop(cluster, 2);
        StoppedWorker w3 = StoppedWorker.stop(cluster, 3);
        try {
            for (String command : new String[] {"apply", "plan", "status"}) {
                long start = System.nanoTime();
                CliRun run = command.equals("apply") ? CliRun.of("apply", "-f", spec.toString(), "--auto-approve")
                        : CliRun.of(command, "-f", spec.toString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.println(command + " with w2 and w3 stopped returned in " + took.toMillis() + " ms (node_timeout 5s)");
                assertEquals(0, run.exitCode(), run.out() + run.err());
                assertTrue(took.compareTo(BOUND) < 0, command + " took " + took.toMillis() + " ms, over " + BOUND.toMillis() + " ms:\n" + run.out());
                for (String node : new String[] {"w2", "w3"}) {
                    String named = command.equals("status") ? node + "         UNREACHABLE" : "node " + node + " is unreachable";
                    assertTrue(run.out().contains(named), command + " names " + node + ":\n" + run.out());
                }
                assertFalse(run.out().contains(".."), "one full stop after pgjdbc's message:\n" + run.out());
            }
            // a channel into a node that could not be read: its initial sync is unknown, not "0 ready"
            CliRun status = CliRun.of("status", "-f", spec.toString());
            assertTrue(status.out().contains("initial sync unknown (w2 could not be read)"), status.out());
            assertFalse(status.out().matches("(?s).*→ w[23] .*initial sync 0/.*"), status.out());
            CliRun json = CliRun.of("status", "-f", spec.toString(), "--json");
            assertEquals(0, json.exitCode(), json.out() + json.err());
            JsonSchemas.STATUS.assertValid(json.out());
            assertTrue(json.out().contains("\"destination\" : \"w2\"") && json.out().contains("\"destination_read\" : false"), json.out());
            assertTrue(json.out().contains("\"destination\" : \"w1\"") && json.out().contains("\"destination_read\" : true"), json.out());
        } finally {
            w2.resume();
            w3.resume();
        }
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }
}
