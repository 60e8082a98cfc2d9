package dev.shardman.planner;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.Positions;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.step.UpdateNode;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.shardman.planner.support.Scenarios.applyAndCheckIdempotent;
import static dev.shardman.planner.support.Scenarios.built;
import static dev.shardman.planner.support.Scenarios.stepsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeChangesTest {
    private static ClusterSpec withNode(ClusterSpec spec, NodeSpec replacement) {
        List<NodeSpec> nodes = new ArrayList<>(spec.nodes());
        nodes.replaceAll(node -> node.name().equals(replacement.name()) ? replacement : node);
        return new ClusterSpec(spec.file(), spec.cluster(), spec.shardlord(), spec.settings(), nodes, spec.tables(), spec.positions());
    }

    @Test
    void conninfoChangeIsAnUpdateThatNeverPrintsTheConninfo() {
        ClusterSpec before = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("customers", 4, 1).build();
        ClusterState state = built(before);
        ClusterSpec spec = withNode(before, new NodeSpec("w2", "host=w2 port=5432 dbname=postgres user=postgres",
                Optional.of("host=w2 user=app password=${env:APP_PW}"), "rg1", false, Positions.UNKNOWN));

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        assertEquals("w2 will be updated: conninfo (added)", stepsOf(plan, UpdateNode.class).get(0).describe());
        assertFalse(JsonPlanWriter.write(plan).contains("APP_PW"));
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertEquals(Optional.of("host=w2 user=app password=${env:APP_PW}"), next.node("w2").orElseThrow().conninfo());
    }

    @Test
    void aNodeHoldingDataCannotChangeGroup() {
        ClusterSpec before = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("customers", 4, 0).build();
        ClusterSpec spec = SpecBuilder.cluster().node("w1", "rg1").node("w2", "rg2").sharded("customers", 4, 0).build();
        ShardmanException error = assertThrows(ShardmanException.class, () -> Planner.plan(spec, built(before), PlanOptions.DEFAULTS));
        assertEquals(ErrorCode.INVALID_INPUT, error.code());
        assertTrue(error.detail().contains("cannot change replication group"), error.detail());
    }

    @Test
    void newClusterGetsADeterministicLineageAndOneSerialPerStep() {
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2").build();
        Plan plan = Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS);
        ClusterState state = StateProjection.project(ClusterState.empty(), plan);
        assertEquals(StateProjection.lineageFor("demo"), state.lineage());
        assertEquals(plan.steps().size(), state.serial());
        assertEquals(List.of(1L, 2L), state.nodes().stream().map(node -> node.id()).toList());
    }
}
