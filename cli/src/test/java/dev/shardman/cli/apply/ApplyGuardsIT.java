package dev.shardman.cli.apply;

import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.Optional;

import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What guards an apply, through the real command line on 3 real workers: the cluster lock (a held lock is named, of
 * two concurrent applies one runs), the confirmation (no terminal: --auto-approve or nothing), a saved plan that went
 * stale, and a worker gone in the middle (named with its step; the next apply converges). The same on every
 * PostgreSQL version, so they run on the default one only (ApplyIT's cases run on 15 and 18 too).
 */
@LocalClusterTest(workers = 3)
class ApplyGuardsIT {
    @TempDir
    Path directory;

    @Test
    void anApplyWhileTheLockIsHeldExitsThreeNamingTheHolder(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 3);
        try (Connection session = cluster.connect(cluster.shardlord())) {
            MetadataStore.open(session);
            try (ClusterLock lock = ClusterLock.acquire(session, "apply", Optional.of("other-plan"))) {
                CliRun refused = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
                assertEquals(3, refused.exitCode(), refused.out() + refused.err());
                assertTrue(refused.err().contains("held by apply of"), refused.err());
                assertTrue(refused.err().contains("pid " + ProcessHandle.current().pid()), refused.err());
            }
        }
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), "nothing was applied while the lock was held: " + plan.out() + plan.err());
    }

    @Test
    void ofTwoConcurrentAppliesExactlyOneRuns(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 3);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<CliRun>> runs = new java.util.ArrayList<>();
        for (int index = 0; index < 2; index++) {
            runs.add(threads.submit(() -> {
                start.await();
                return CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
            }));
        }
        start.countDown();
        java.util.List<CliRun> results = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<CliRun> run : runs) {
            results.add(run.get(120, java.util.concurrent.TimeUnit.SECONDS));
        }
        threads.shutdown();
        long ranSteps = results.stream().filter(run -> run.exitCode() == 0 && run.out().contains("Apply complete")).count();
        assertEquals(1, ranSteps, "exactly one apply ran the steps: " + results);
        for (CliRun run : results) {
            // "held by apply of ..." once the holder recorded itself, "held by another shardman session ... not recorded itself yet" before.
            boolean refused = run.exitCode() == 3 && run.err().contains("the cluster lock is held by");
            boolean cameAfter = run.exitCode() == 0;
            assertTrue(refused || cameAfter, run.toString());
        }
        assertEquals(0, CliRun.of("drift-check", "-f", spec.toString()).exitCode());
    }

    @Test
    void withoutATerminalApplyNeedsAutoApproveAndChangesNothing(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 3);
        CliRun refused = CliRun.of("apply", "-f", spec.toString());
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("--auto-approve"), refused.err());
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), plan.err());
        assertTrue(CliRun.of("status", "-f", spec.toString()).out().contains("not created yet"));
    }

    @Test
    void aStaleSavedPlanIsRefusedAndAFreshOneApplies(TestCluster cluster) throws Exception {
        Path customersOnly = ClusterSpecFiles.write(cluster, directory.resolve("customers.yaml"), 3, ClusterSpecFiles.CUSTOMERS);
        Path example = ClusterSpecFiles.example(cluster, directory, 3);
        Path planFile = directory.resolve("plan.json");
        assertEquals(0, CliRun.of("plan", "-f", example.toString(), "--out", planFile.toString()).exitCode());

        CliRun applied = CliRun.of("apply", "-f", customersOnly.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        CliRun stale = CliRun.of("apply", planFile.toString(), "--auto-approve");
        assertEquals(4, stale.exitCode(), stale.out() + stale.err());
        assertTrue(stale.err().contains("stale"), stale.err());

        assertEquals(0, CliRun.of("plan", "-f", example.toString(), "--out", planFile.toString()).exitCode());
        // the spec inside edited and its hash recomputed: the same step ids, but not what the reviewed plan said
        ObjectNode document = (ObjectNode) new ObjectMapper().readTree(Files.readString(planFile));
        String edited = document.path("spec").asText().replace("    master: w1\n", "    master: w2\n");
        document.put("spec", edited);
        document.put("spec_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(edited.getBytes(StandardCharsets.UTF_8))));
        Path tampered = Files.writeString(directory.resolve("tampered.json"), document.toString());
        CliRun refused = CliRun.of("apply", tampered.toString(), "--auto-approve");
        assertEquals(4, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("the saved plan does not match its spec: step create-shared-table:countries says"), refused.err());

        CliRun fresh = CliRun.of("apply", planFile.toString(), "--auto-approve");
        assertEquals(0, fresh.exitCode(), fresh.out() + fresh.err());
        assertTrue(fresh.out().contains("orders"), fresh.out());
        assertEquals(0, CliRun.of("drift-check", "-f", example.toString()).exitCode());
    }

    @Test
    void aWorkerGoneDuringApplyFailsNamingItAndTheStepThenApplyConverges(TestCluster cluster) throws Exception {
        Path customersOnly = ClusterSpecFiles.write(cluster, directory.resolve("customers.yaml"), 3, ClusterSpecFiles.CUSTOMERS);
        Path example = ClusterSpecFiles.write(cluster, directory.resolve("more.yaml"), 3, ClusterSpecFiles.CUSTOMERS + ClusterSpecFiles.ORDERS + """
                  - name: visits
                    type: sharded
                    columns:
                      - {name: id, type: bigint, nullable: false}
                    primary_key: [id]
                    sharding_key: id
                    partitions: 6
                """);
        assertEquals(0, CliRun.of("apply", "-f", customersOnly.toString(), "--auto-approve").exitCode());

        setConnectionsAllowed(cluster, 2, false);
        CliRun failed;
        try {
            failed = CliRun.of("apply", "-f", example.toString(), "--auto-approve");
        } finally {
            setConnectionsAllowed(cluster, 2, true);
        }
        assertEquals(1, failed.exitCode(), failed.out() + failed.err());
        assertTrue(failed.err().contains("create-sharded-table:orders") && failed.err().contains("on w2"), failed.err());
        assertTrue(failed.out().contains("✗ sharded table public.orders will be created") && failed.out().contains("failed on w2"), failed.out());
        assertTrue(failed.out().contains("sharded table public.visits will be created: 6 partitions on 3 nodes, redundancy 0: not attempted (upstream failed)"),
                failed.out());

        CliRun resumed = CliRun.of("apply", "-f", example.toString(), "--auto-approve");
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        assertEquals(0, CliRun.of("plan", "-f", example.toString(), "--detailed-exitcode").exitCode());
        assertEquals(0, CliRun.of("drift-check", "-f", example.toString()).exitCode());
    }
}
