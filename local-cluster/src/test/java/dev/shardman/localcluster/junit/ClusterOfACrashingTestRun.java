package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;

/**
 * A test run that starts a harness cluster and then dies without closing it: prints the cluster
 * directory, then waits to be killed.
 */
public final class ClusterOfACrashingTestRun {
    private ClusterOfACrashingTestRun() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        RunningTestCluster cluster = RunningTestCluster.start(1, PostgresMajorVersion.DEFAULT);
        System.out.println("directory " + cluster.directory());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
