package dev.shardman.applier.move;

import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeObjects;
import dev.shardman.model.DerivedNames;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The narrowing of a move's switch and cleanup to the moved unit (examples/cluster.yaml: customers and orders colocated, redundancy 1, a shared table). */
class MoveSwitchTest {
    private static final Set<String> UNIT = Set.of("customers", "orders");

    private static ClusterState example() {
        return StateProjection.project(ClusterState.empty(), Planner.plan(SpecLoader.load(Path.of("..", "examples", "cluster.yaml"), Map.of())
                .spec().orElseThrow(), ClusterState.empty(), PlanOptions.DEFAULTS));
    }

    @Test
    void keepsTheUnitsTablesPartitionsAndReplicasOnly() {
        ClusterState full = example();
        ClusterState unit = MoveSwitch.unitOnly(full, UNIT);

        assertEquals(UNIT, unit.tables().stream().map(TableState::name).collect(Collectors.toSet()));
        assertEquals(full.partitions().stream().filter(partition -> UNIT.contains(partition.table())).toList(), unit.partitions());
        assertFalse(unit.replicas().isEmpty(), "redundancy 1: the unit's replicas are kept");
        Set<String> partitions = unit.partitions().stream().map(partition -> DerivedNames.partition(partition.table(), partition.index()))
                .collect(Collectors.toSet());
        assertEquals(full.replicas().stream().filter(replica -> partitions.contains(replica.partition())).toList(), unit.replicas());
        assertTrue(unit.replicas().stream().map(ReplicaState::partition).allMatch(partitions::contains));
        assertEquals(full.nodes(), unit.nodes());
        assertEquals(full.settings(), unit.settings());
        assertEquals(full, MoveSwitch.unitOnly(full, full.tables().stream().map(TableState::name).collect(Collectors.toSet())));
    }

    @Test
    void expectsOnEveryNodeExactlyTheFullStatesObjectsOfTheUnitAndTheNodeWideOnes() {
        ClusterState full = example();
        ClusterState unit = MoveSwitch.unitOnly(full, UNIT);
        for (NodeState node : full.nodes()) {
            NodeObjects all = ExpectedObjects.forNode(full, node.name());
            NodeObjects narrowed = ExpectedObjects.forNode(unit, node.name());
            narrowed.objects().forEach((key, object) -> assertEquals(object, all.objects().get(key), node.name() + ": " + key));
            assertTrue(narrowed.size() < all.size(), node.name() + ": the shared table's objects are left out");
            all.objects().forEach((key, object) -> {
                if (!narrowed.objects().containsKey(key)) {
                    assertTrue(object.describe().contains("countries"), node.name() + ": only the shared table's objects are left out, not " + object.describe());
                }
            });
        }
    }
}
