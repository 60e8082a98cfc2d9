package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.cli.testkit.RebalanceFixture;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.shardlordState;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins and weights applied on real servers: 13 partitions of {@code items} (redundancy 0) on 3 workers (5, 4, 4). Pinning
 * one of w1's partitions to w2 plans and runs exactly one move, of that partition; then w1 weighing 2 (of 4) ends with
 * 6 partitions against 4 and 3. After each apply: nothing left to plan, drift-check clean, every row still there.
 * Then, at redundancy 1, a primary pinned onto the node holding its replica: the replica is dropped, the primary
 * moves there and a new replica is copied to where the primary was; verify finds every replica equal to its primary.
 */
@LocalClusterTest(workers = 3)
class PlacementSteeringIT {
    private static final String ITEMS = """
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: val, type: text}
                primary_key: [id]
                sharding_key: id
                partitions: 13
                redundancy: 0
            """;

    @TempDir
    Path directory;

    @Test
    void aPinMovesExactlyItsPartitionAndAWeightTwoNodeTakesTwiceTheShare(TestCluster cluster) throws Exception {
        Path base = ClusterSpecFiles.write(cluster, directory.resolve("base.yaml"), 3, ITEMS);
        apply(base);
        execute(cluster, 1, "INSERT INTO items SELECT id, 'item ' || id FROM generate_series(1, 13000) AS id");
        String before = RebalanceFixture.fingerprint(cluster, "items");
        assertEquals(Map.of("w1", 5L, "w2", 4L, "w3", 4L), holdings(cluster));

        int pinned = state(cluster).partitionsOf("items").stream().filter(partition -> partition.node().equals("w1")).findFirst().orElseThrow().index();
        Path pinnedSpec = Files.writeString(directory.resolve("pinned.yaml"), Files.readString(base)
                .replace("redundancy: 0\n", "redundancy: 0\n    placement: {" + pinned + ": [w2]}\n"));
        assertEquals(List.of("move-primary:items_" + pinned), RebalanceFixture.pendingSteps(pinnedSpec, "move-"));
        apply(pinnedSpec);
        assertEquals("w2", state(cluster).partition("items", pinned).orElseThrow().node());
        assertEquals(Map.of("w1", 4L, "w2", 5L, "w3", 4L), holdings(cluster));

        Path weighted = Files.writeString(directory.resolve("weighted.yaml"), Files.readString(pinnedSpec)
                .replaceFirst("replication_group: rg1\n", "replication_group: rg1\n    weight: 2\n"));
        apply(weighted);
        assertEquals(Map.of("w1", 6L, "w2", 4L, "w3", 3L), holdings(cluster), "w1 weighs 2 of 4: 6 of 13; the pin stays on w2");
        assertEquals("w2", state(cluster).partition("items", pinned).orElseThrow().node());
        assertEquals(before, RebalanceFixture.fingerprint(cluster, "items"));
    }

    @Test
    void aPinThatSwapsPrimaryAndReplicaDropsMovesAndCopies(TestCluster cluster) throws Exception {
        Path base = ClusterSpecFiles.write(cluster, directory.resolve("base.yaml"), 3, ITEMS.replace("redundancy: 0", "redundancy: 1"));
        apply(base);
        execute(cluster, 1, "INSERT INTO items SELECT id, 'item ' || id FROM generate_series(1, 13000) AS id");
        String before = RebalanceFixture.fingerprint(cluster, "items");
        ClusterState state = state(cluster);
        PartitionState partition = state.partitionsOf("items").get(0);
        String replica = state.replicaNodesOf(partition.name()).get(0);

        Path swapped = Files.writeString(directory.resolve("swapped.yaml"), Files.readString(base)
                .replace("redundancy: 1\n", "redundancy: 1\n    placement: {0: [" + replica + ", " + partition.node() + "]}\n"));
        List<String> steps = RebalanceFixture.pendingSteps(swapped, "");
        String name = partition.name();
        assertEquals(List.of("drop-replica:" + name + "@" + replica, "move-primary:" + name, "create-replica:" + name + "@" + partition.node()),
                steps.stream().filter(id -> id.endsWith(":" + name) || id.contains(":" + name + "@")).toList(), steps.toString());
        apply(swapped);
        ClusterState after = state(cluster);
        assertEquals(replica, after.partition("items", 0).orElseThrow().node());
        assertEquals(List.of(partition.node()), after.replicaNodesOf(name));
        assertEquals(before, RebalanceFixture.fingerprint(cluster, "items"));
        CliRun verify = CliRun.of("verify", "-f", swapped.toString());
        assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    }

    private static void apply(Path spec) {
        CliRun applied = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        CliRun plan = CliRun.of("plan", "-f", spec.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), "nothing left to plan: " + plan.out() + plan.err());
        CliRun drift = CliRun.of("drift-check", "-f", spec.toString());
        assertEquals(0, drift.exitCode(), drift.out() + drift.err());
    }

    private static ClusterState state(TestCluster cluster) throws java.sql.SQLException {
        return shardlordState(cluster);
    }

    private static Map<String, Long> holdings(TestCluster cluster) throws java.sql.SQLException {
        return new TreeMap<>(state(cluster).partitionsOf("items").stream().collect(Collectors.groupingBy(PartitionState::node, Collectors.counting())));
    }
}
