package dev.shardman.cli.faults;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.SilentListener;
import dev.shardman.cli.testkit.WorkerSql;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node added to the spec whose server accepts connections and never answers (a hung machine: here a listener that
 * counts the connections and keeps them silent). Its registration runs in a round with the steps after it, so its check
 * is made while the round is formed; a check that failed there is not made again when the step then runs alone to fail
 * by name. apply tries the node three times (the reads before the question, recovery's pass after it, the registration's
 * check), not four, fails naming the step, and leaves nothing behind: no node in the metadata, no prepared transaction on
 * the others. With the node's real address, apply then adds it.
 */
@LocalClusterTest(workers = 3)
class HungNewNodeIT {
    @TempDir
    Path directory;

    @Test
    void aNewNodeThatNeverAnswersFailsItsRegistrationByNameWithoutAnExtraAttemptAndLeavesNothing(TestCluster cluster) throws Exception {
        String tables = ClusterSpecFiles.CUSTOMERS.replace("redundancy: 1", "redundancy: 0");
        Path two = ClusterSpecFiles.withSettings(ClusterSpecFiles.write(cluster, directory.resolve("two-plain.yaml"), 2, tables),
                directory.resolve("two.yaml"), "  node_timeout: 5s\n");
        CliRun first = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        Path three = ClusterSpecFiles.withSettings(ClusterSpecFiles.write(cluster, directory.resolve("three-plain.yaml"), 3, tables),
                directory.resolve("three.yaml"), "  node_timeout: 5s\n");

        try (SilentListener silent = new SilentListener()) {
            String w3 = cluster.conninfo(cluster.worker(3));
            Path hung = Files.writeString(directory.resolve("hung.yaml"),
                    Files.readString(three).replace(w3, w3.replaceFirst("port=\\d+", "port=" + silent.port())));
            long start = System.nanoTime();
            CliRun refused = CliRun.of("apply", "-f", hung.toString(), "--auto-approve");
            System.out.println("apply adding a silent w3 returned in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms after "
                    + silent.connections() + " connection attempts to it");
            String output = refused.out() + refused.err();
            assertEquals(1, refused.exitCode(), output);
            assertTrue(output.contains("step register-node:w3") && output.contains("cannot connect to node w3"), output);
            assertTrue(silent.connections() <= 3, silent.connections() + " connection attempts to w3:\n" + output);
            assertEquals(List.of("w1", "w2"), WorkerSql.shardlordStrings(cluster, "SELECT name FROM shardman.nodes ORDER BY name"));
            for (int worker : new int[] {1, 2}) {
                assertEquals(0L, WorkerSql.queryLong(cluster, worker, "SELECT count(*) FROM pg_prepared_xacts"), "on w" + worker);
            }
        }

        CliRun added = CliRun.of("apply", "-f", three.toString(), "--auto-approve");
        assertEquals(0, added.exitCode(), added.out() + added.err());
        assertTrue(added.out().contains("w3 will be registered"), added.out());
        CliRun drift = CliRun.of("drift-check", "-f", three.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }
}
