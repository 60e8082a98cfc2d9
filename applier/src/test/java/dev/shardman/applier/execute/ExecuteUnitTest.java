package dev.shardman.applier.execute;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.PlannedStep;
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
        ClusterState state = new ClusterState("3f0d7a57-0000-4000-8000-000000000000", 0, List.of(), List.of(), List.of(), List.of());
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
}
