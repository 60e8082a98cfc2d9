package dev.shardman.cli.testkit;

import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.junit.TestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kill -9} of a worker's postmaster (its PID is the first line of {@code postmaster.pid} in its data
 * directory, beside the server log), waiting until its children noticed and exited; and the restart the
 * harness needs to drop the test's database after the test.
 */
public final class KilledWorker {
    private static final Duration CHILDREN_EXIT = Duration.ofSeconds(30);

    private KilledWorker() {
    }

    public static void kill(TestCluster cluster, int worker) throws IOException, InterruptedException {
        assumeTrue(cluster.serversAreLocalProcesses(), "signals the postmaster of w" + worker + " by its pid: needs the embedded test servers");
        Path pidFile = dataDirectory(cluster, worker).resolve("postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> children = postmaster.descendants().toList();
        assertTrue(postmaster.destroyForcibly(), "SIGKILL to the postmaster of w" + worker);
        long deadline = System.nanoTime() + CHILDREN_EXIT.toNanos();
        while (postmaster.isAlive() || children.stream().anyMatch(ProcessHandle::isAlive)) {
            assertTrue(System.nanoTime() < deadline, "the processes of w" + worker + " did not exit after the postmaster's death");
            Thread.sleep(50);
        }
    }

    /** Starts the instances of the test cluster that are not running (the killed one). */
    public static void restart(TestCluster cluster, int workers) {
        Path directory = dataDirectory(cluster, 1).getParent().getParent();
        new LocalCluster().up(new LocalClusterConfig(directory, workers, cluster.postgresMajor(), cluster.shardlord().port()));
    }

    private static Path dataDirectory(TestCluster cluster, int worker) {
        return cluster.serverLog(cluster.worker(worker)).getParent().resolve("data");
    }
}
