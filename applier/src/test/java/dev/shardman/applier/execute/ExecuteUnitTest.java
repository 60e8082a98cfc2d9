package dev.shardman.applier.execute;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-free parts of the apply engine: the replication narrowing, unsupported kinds, affected nodes, per-step projection. */
class ExecuteUnitTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "cluster.yaml");

    private static ClusterSpec example() {
        return SpecLoader.load(EXAMPLE, Map.of()).spec().orElseThrow();
    }

    @Test
    void everyStepOfTheExampleHasAnExecutor() {
        Plan full = Planner.plan(example(), ClusterState.empty(), PlanOptions.DEFAULTS);
        assertEquals(full.steps().size(), ApplyEngine.executors(full).size());
    }

    @Test
    void theExamplePlanRunsStepByStepToTheProjectionAndEachStepAffectsTheRightNodes() {
        Plan plan = Planner.plan(example(), ClusterState.empty(), PlanOptions.DEFAULTS);
        assertEquals(plan.steps().size(), ApplyEngine.executors(plan).size());
        ClusterState state = ClusterState.withDefaultSettings("3f0d7a57-0000-4000-8000-000000000000", 0, List.of(), List.of(), List.of(), List.of());
        List<String> affected = new ArrayList<>();
        for (PlannedStep planned : plan.steps()) {
            ClusterState after = StateProjection.apply(state, planned.step());
            assertEquals(state.serial() + 1, after.serial());
            affected.add(planned.id() + " " + StepRunner.affectedNodes(planned.step(), state, after).keySet());
            state = after;
        }
        assertEquals(List.of(
                "register-node:w1 [w1]",
                "register-node:w2 [w1, w2]",
                "create-foreign-servers:w2 [w1, w2]",
                "create-replication-channel:w1->w2 [w1, w2]",
                "create-replication-channel:w2->w1 [w1, w2]",
                "register-node:w3 [w1, w2, w3]",
                "create-foreign-servers:w3 [w1, w2, w3]",
                "create-replication-channel:w1->w3 [w1, w3]",
                "create-replication-channel:w2->w3 [w2, w3]",
                "create-replication-channel:w3->w1 [w1, w3]",
                "create-replication-channel:w3->w2 [w2, w3]",
                "create-sharded-table:customers [w1, w2, w3]",
                "create-sharded-table:orders [w1, w2, w3]",
                "create-shared-table:countries [w1, w2, w3]"), affected);
        ClusterState projected = StateProjection.project(ClusterState.empty(), plan);
        assertEquals(projected.partitions(), state.partitions());
        assertEquals(projected.tables(), state.tables());
        assertFalse(state.lineage().isEmpty());
    }

    @Test
    void aMovedReplicaKeepsBothCopiesUntilTheCommitAndOnlyTheNewOneAfter() {
        ClusterState state = StateProjection.project(ClusterState.empty(), Planner.plan(example(), ClusterState.empty(), PlanOptions.DEFAULTS));
        dev.shardman.model.state.ReplicaState replica = state.replicas().stream()
                .filter(candidate -> candidate.partition().startsWith("customers_")).findFirst().orElseThrow();
        dev.shardman.model.state.PartitionState partition = state.partitions().stream()
                .filter(candidate -> candidate.name().equals(replica.partition())).findFirst().orElseThrow();
        String to = state.nodes().stream().map(dev.shardman.model.state.NodeState::name)
                .filter(node -> !node.equals(replica.node()) && !node.equals(partition.node())).findFirst().orElseThrow();
        var unit = new dev.shardman.planner.step.PartitionUnit(List.of("customers", "orders"), partition.index());
        MoveReplicaExecutor executor = new MoveReplicaExecutor(new dev.shardman.planner.step.MoveReplica(unit, replica.node(), to, partition.node()));
        ClusterState after = executor.check(state, null);
        ClusterState atCommit = executor.stateAtCommit(state, after);
        assertTrue(atCommit.replicas().contains(replica), "the old copy is kept until the commit");
        assertTrue(atCommit.replicas().contains(new dev.shardman.model.state.ReplicaState(replica.partition(), to)));
        assertFalse(after.replicas().contains(replica));
        assertTrue(after.replicas().contains(new dev.shardman.model.state.ReplicaState(replica.partition(), to)));
        ClusterState dropped = StateProjection.apply(state, new dev.shardman.planner.step.DropReplica(unit, replica.node(), partition.node()));
        assertEquals(dropped, new CatalogStepExecutor(new dev.shardman.planner.step.DropReplica(unit, replica.node(), partition.node()))
                .stateAtCommit(state, dropped), "other kinds reach the state after at the commit");
    }
}
