package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.shardman.planner.support.Scenarios.built;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImpliedSpecTest {
    private static SpecBuilder fourNodes() {
        return SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 8, 1).shared("countries", "w1")
                .index("customers", "customers_name_idx", "name").settings(true, 1024);
    }

    @Test
    void theImpliedSpecPlansNothing() {
        ClusterState state = built(fourNodes().build());
        assertTrue(Planner.plan(ImpliedSpec.of(fourNodes().build(), state), state, PlanOptions.DEFAULTS).isEmpty());
    }

    @Test
    void markingANodeLostPlansWhatTheSpecEditPlans() {
        ClusterState state = built(fourNodes().build());
        ClusterSpec edited = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").lostNode("w4", "rg1").sharded("customers", 8, 1)
                .shared("countries", "w1").index("customers", "customers_name_idx", "name").settings(true, 1024).build();
        Plan expected = Planner.plan(edited, state, PlanOptions.DEFAULTS);
        Plan implied = Planner.plan(ImpliedSpec.withNodeLost(fourNodes().build(), state, "w4"), state, PlanOptions.DEFAULTS);

        assertEquals(ids(expected), ids(implied));
        assertTrue(ids(implied).contains("mark-node-lost:w4"), ids(implied).toString());
    }

    @Test
    void changesOfTheUsersSpecNotAppliedYetAreNotPlanned() {
        ClusterState state = built(fourNodes().build());
        ClusterSpec grown = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4", "w5").sharded("customers", 8, 1)
                .shared("countries", "w1").sharded("orders", 8, 0).settings(false, 1024).build();
        List<String> implied = ids(Planner.plan(ImpliedSpec.withNodeLost(grown, state, "w4"), state, PlanOptions.DEFAULTS));

        assertTrue(implied.stream().noneMatch(id -> id.contains("w5") || id.contains("orders") || id.contains("settings")), implied.toString());
    }

    @Test
    void weightsAndPinsOfTheUsersSpecAreKeptSoThatAWeightedClusterPlansNothing() {
        SpecBuilder weighted = fourNodes().weight("w1", "2").pin("customers", 3, "w4", "w2").pin("customers", 5, "w3", "w2");
        ClusterState state = built(weighted.build());
        assertTrue(Planner.plan(ImpliedSpec.of(weighted.build(), state), state, PlanOptions.DEFAULTS).isEmpty());

        ClusterSpec lost = ImpliedSpec.withNodeLost(weighted.build(), state, "w4");
        assertEquals(List.of(5), lost.table("customers").orElseThrow().placement().stream().map(pin -> pin.partition()).toList(),
                "the pin naming lost w4 is left out");
        assertEquals(new java.math.BigDecimal("2"), lost.node("w1").orElseThrow().weight());
        Plan failover = Planner.plan(lost, state, PlanOptions.DEFAULTS);
        assertTrue(ids(failover).contains("mark-node-lost:w4"), ids(failover).toString());
        assertEquals("w3", StateProjection.project(state, failover).partition("customers", 5).orElseThrow().node());
    }

    @Test
    void aNodeOutsideTheStateIsRefused() {
        ClusterState state = built(fourNodes().build());
        assertThrows(IllegalArgumentException.class, () -> ImpliedSpec.withNodeLost(fourNodes().build(), state, "w9"));
    }

    private static List<String> ids(Plan plan) {
        return plan.steps().stream().map(step -> step.id().value()).toList();
    }
}
