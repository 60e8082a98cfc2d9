package dev.shardman.cli.failover;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.applier.failover.AutomaticFailover;
import dev.shardman.applier.failover.FailoverOutcome;
import dev.shardman.applier.failover.UnreachableNode;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.KilledWorker;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.shardman.cli.failover.AutomaticFailoverIT.lostInMetadata;
import static dev.shardman.cli.failover.AutomaticFailoverIT.shardlordLong;
import static dev.shardman.cli.failover.AutomaticFailoverIT.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the monitor's automatic failover must not act, it reports and changes nothing (same serial, node not lost): a
 * node holding the only copy of a partition (killed for real), automatic failover off, a node that answers when checked
 * again under the lock, and a lock held by someone else (left for the next poll).
 */
@LocalClusterTest(workers = 3)
class AutomaticFailoverRefusalIT {
    private static final String AUTOMATIC = "settings:\n  failover: {automatic: true, after: 5s}\nnodes:\n";
    private static final Duration LONG_DOWN = Duration.ofMinutes(10);

    @TempDir
    Path directory;

    @Test
    void aNodeHoldingTheOnlyCopyOfAPartitionIsReportedNotFailedOver(TestCluster cluster) throws Exception {
        AutomaticFailover responder = applied(cluster, AUTOMATIC, 0);
        long serial = serial(cluster);
        KilledWorker.kill(cluster, 1);
        try {
            FailoverOutcome outcome = single(responder.respond(List.of(new UnreachableNode("w1", LONG_DOWN))));
            assertEquals(FailoverOutcome.Kind.REFUSED, outcome.kind(), outcome.message());
            assertTrue(outcome.message().contains("holds the only copy of customers_0:")
                    && outcome.message().contains("never failed over automatically"), outcome.message());
            assertUnchanged(cluster, serial);
        } finally {
            KilledWorker.restart(cluster, 3);
        }
    }

    @Test
    void withAutomaticFailoverOffAnUnreachableNodeIsOnlyReported(TestCluster cluster) throws Exception {
        AutomaticFailover responder = applied(cluster, "nodes:\n", 1);
        long serial = serial(cluster);
        FailoverOutcome outcome = single(responder.respond(List.of(new UnreachableNode("w1", LONG_DOWN))));
        assertEquals(FailoverOutcome.Kind.REPORTED_ONLY, outcome.kind(), outcome.message());
        assertTrue(outcome.message().contains("automatic failover is off"), outcome.message());
        assertUnchanged(cluster, serial);
    }

    @Test
    void aNodeThatAnswersWhenCheckedAgainUnderTheLockIsLeftAlone(TestCluster cluster) throws Exception {
        AutomaticFailover responder = applied(cluster, AUTOMATIC, 1);
        long serial = serial(cluster);
        FailoverOutcome outcome = single(responder.respond(List.of(new UnreachableNode("w1", LONG_DOWN))));
        assertEquals(FailoverOutcome.Kind.ANSWERS_AGAIN, outcome.kind(), outcome.message());
        assertUnchanged(cluster, serial);
    }

    @Test
    void aClusterLockHeldElsewhereLeavesTheFailoverToTheNextPoll(TestCluster cluster) throws Exception {
        AutomaticFailover responder = applied(cluster, AUTOMATIC, 1);
        long serial = serial(cluster);
        try (Connection session = cluster.connect(cluster.shardlord());
             ClusterLock held = ClusterLock.acquire(session, "apply", Optional.empty())) {
            FailoverOutcome outcome = single(responder.respond(List.of(new UnreachableNode("w1", LONG_DOWN))));
            assertEquals(FailoverOutcome.Kind.LOCK_BUSY, outcome.kind(), outcome.message());
            assertTrue(outcome.message().contains("waits for the next poll"), outcome.message());
        }
        assertUnchanged(cluster, serial);
    }

    /** Three workers, customers (3 partitions) at the given redundancy, applied; the responder for that spec. */
    private AutomaticFailover applied(TestCluster cluster, String settings, int redundancy) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 3,
                ClusterSpecFiles.CUSTOMERS.replace("partitions: 12", "partitions: 3").replace("redundancy: 1", "redundancy: " + redundancy));
        Files.writeString(spec, Files.readString(spec).replace("nodes:\n", settings));
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        return new AutomaticFailover(ConnectionFactory.fromEnvironment("shardman-monitor"), ConninfoSecrets.of(Map.of()), new FaultHook(Map.of()), SpecLoader.load(spec, Map.of()).orElseThrow());
    }

    private static long serial(TestCluster cluster) throws Exception {
        return shardlordLong(cluster, "SELECT serial FROM shardman.cluster");
    }

    private static void assertUnchanged(TestCluster cluster, long serial) throws Exception {
        assertEquals(serial, serial(cluster), "the metadata changed");
        assertFalse(lostInMetadata(cluster, "w1"), "w1 is lost in the metadata");
        assertEquals(0L, shardlordLong(cluster, "SELECT count(*) FROM shardman.automatic_failovers"));
    }
}
