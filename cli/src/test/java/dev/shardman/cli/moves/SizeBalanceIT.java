package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.StateSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.shardlordState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Balancing by size from the live nodes' sizes: {@code items} has 4 partitions on 2 workers (2 each, balanced by count).
 * One of w1's partitions is filled with about 5 MB, the others stay nearly empty. By count nothing is to be done; by
 * size (tolerance 10%, no base bytes) the only move that brings the nodes closer is w1's other, light partition to w2,
 * and that is exactly what plan shows: only the sizes read from the nodes can have chosen it. The snapshot of
 * {@code state pull} records the sizes, and planning from it offline gives the same move. After apply nothing is left
 * to plan and every row is still there.
 */
@LocalClusterTest(workers = 2)
class SizeBalanceIT {
    private static final String ITEMS = """
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: val, type: text}
                primary_key: [id]
                sharding_key: id
                partitions: 4
                redundancy: 0
            """;

    @TempDir
    Path directory;

    @Test
    void sizesReadFromTheNodesChooseTheMoveAndTheSnapshotReproducesIt(TestCluster cluster) throws Exception {
        Path byCount = ClusterSpecFiles.write(cluster, directory.resolve("count.yaml"), 2, ITEMS);
        CliRun created = CliRun.of("apply", "-f", byCount.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        List<PartitionState> onW1 = state(cluster).partitionsOf("items").stream().filter(partition -> partition.node().equals("w1")).toList();
        assertEquals(2, onW1.size());
        PartitionState heavy = onW1.get(0);
        PartitionState light = onW1.get(1);
        execute(cluster, 1, "INSERT INTO items SELECT id, repeat('x', 1000) FROM generate_series(1::bigint, 20000) AS id"
                + " WHERE pg_catalog.satisfies_hash_partition('items'::regclass, 4, " + heavy.index() + ", id)");
        String before = RebalanceFixture.fingerprint(cluster, "items");
        assertEquals(List.of(), RebalanceFixture.pendingSteps(byCount, "move-"), "balanced by count");

        Path bySize = ClusterSpecFiles.withSettings(byCount, directory.resolve("size.yaml"), "  balance: {by: size, tolerance: 10%, base_bytes: 0}\n");
        List<String> expected = List.of("move-primary:" + light.name());
        assertEquals(expected, RebalanceFixture.pendingSteps(bySize, "move-"));

        Path pulled = directory.resolve("pulled.yaml");
        CliRun pull = CliRun.of("state", "pull", "-f", bySize.toString(), "--out", pulled.toString());
        assertEquals(0, pull.exitCode(), pull.out() + pull.err());
        long heavyBytes = StateSnapshots.read(pulled).partitionBytes().of(heavy.name()).orElseThrow();
        assertTrue(heavyBytes > 4_000_000, "the heavy partition's size is recorded: " + heavyBytes);
        CliRun offline = CliRun.of("plan", "-f", bySize.toString(), "--state", pulled.toString(), "--json");
        assertEquals(0, offline.exitCode(), offline.out() + offline.err());
        assertTrue(offline.out().contains("\"move-primary:" + light.name() + "\""), offline.out());

        CliRun applied = CliRun.of("apply", "-f", bySize.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        assertEquals("w2", state(cluster).partition("items", light.index()).orElseThrow().node());
        CliRun again = CliRun.of("plan", "-f", bySize.toString(), "--detailed-exitcode");
        assertEquals(0, again.exitCode(), "nothing left to plan: " + again.out() + again.err());
        assertEquals(before, RebalanceFixture.fingerprint(cluster, "items"));
    }

    private static ClusterState state(TestCluster cluster) throws java.sql.SQLException {
        return shardlordState(cluster);
    }
}
