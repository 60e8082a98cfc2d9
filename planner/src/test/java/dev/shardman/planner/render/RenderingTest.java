package dev.shardman.planner.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.shardman.planner.support.Scenarios.built;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderingTest {
    private static ClusterSpec addFourthNode() {
        return SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 6, 0).shared("countries", "w1").build();
    }

    private static ClusterState threeNodes() {
        return built(SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").sharded("customers", 6, 0).shared("countries", "w1").build());
    }

    @Test
    void textIsGroupedByObjectWithSymbolsAndASummary() {
        Plan plan = Planner.plan(addFourthNode(), threeNodes(), PlanOptions.DEFAULTS);
        String expected = """
                Cluster demo: changes from state serial 7 (lineage 2f9b2bf2-3b43-3d5b-9d05-3e1d2b0c6a5c).
                Symbols: + create, ~ change, → move, - destroy.

                # node w4
                  + w4 will be registered in replication group rg1
                  + foreign servers between w4 and 3 peers (w1, w2, w3) will be created

                # table customers
                  → customers_2 will be moved from w3 to w4

                Plan: 2 to create, 0 to change, 1 to move, 0 to destroy.
                """.replace("2f9b2bf2-3b43-3d5b-9d05-3e1d2b0c6a5c", plan.header().lineage());
        assertEquals(expected, TextPlanRenderer.render(plan, false));
    }

    @Test
    void emptyPlanSaysSo() {
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("customers", 4, 1).build();
        Plan plan = Planner.plan(spec, built(spec), PlanOptions.DEFAULTS);
        assertEquals("No changes. The cluster matches the spec.\n", TextPlanRenderer.render(plan, false));
    }

    @Test
    void warningsFollowTheSummaryAndAppearInJsonOnlyWhenPresent() {
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("customers", 4, 1).build();
        Plan empty = Planner.plan(spec, built(spec), PlanOptions.DEFAULTS);
        Plan warned = new Plan(empty.header(), empty.steps(), List.of("replication group rg1 cannot be balanced by moving partitions"));
        assertEquals("No changes. The cluster matches the spec.\n\nWarning: replication group rg1 cannot be balanced by moving partitions.\n",
                TextPlanRenderer.render(warned, false));
        assertTrue(JsonPlanWriter.write(warned).contains("\"warnings\""), JsonPlanWriter.write(warned));
        assertFalse(JsonPlanWriter.write(empty).contains("\"warnings\""), JsonPlanWriter.write(empty));
    }

    @Test
    void colourOnlyWhenAsked() {
        Plan plan = Planner.plan(addFourthNode(), threeNodes(), PlanOptions.DEFAULTS);
        assertFalse(TextPlanRenderer.render(plan, false).contains("\u001b["));
        String coloured = TextPlanRenderer.render(plan, true);
        assertTrue(coloured.contains("\u001b[32m+\u001b[0m w4 will be registered"), coloured);
        assertTrue(coloured.contains("\u001b[36m→\u001b[0m customers_2"), coloured);
    }

    @Test
    void jsonFollowsTheContractWithStepsInExecutionOrder() throws Exception {
        Plan plan = Planner.plan(addFourthNode(), threeNodes(), PlanOptions.DEFAULTS);
        JsonNode json = new ObjectMapper().readTree(JsonPlanWriter.write(plan));
        assertEquals("1", json.get("format_version").asText());
        assertEquals(2, json.get("summary").get("create").asInt());
        assertEquals(0, json.get("summary").get("update").asInt());
        assertEquals(1, json.get("summary").get("move").asInt());
        assertEquals(0, json.get("summary").get("destroy").asInt());
        assertEquals(7, json.get("serial").asInt());
        List<String> ids = new ArrayList<>();
        json.get("steps").forEach(step -> ids.add(step.get("id").asText()));
        assertEquals(List.of("register-node:w4", "create-foreign-servers:w4", "move-primary:customers_2"), ids);
        JsonNode move = json.get("steps").get(2);
        assertEquals("move", move.get("action").asText());
        assertEquals("move_primary", move.get("kind").asText());
        assertEquals("customers_2 will be moved from w3 to w4", move.get("description").asText());
        assertEquals(List.of("create-foreign-servers:w4", "register-node:w4"), List.of(move.get("depends_on").get(0).asText(), move.get("depends_on").get(1).asText()));
        assertFalse(move.get("data_loss").asBoolean());
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4", "w5").nodes("rg2", "v1", "v2", "v3")
                .sharded("customers", 64, 1).colocated("orders", "customers", 64, 1).sharded("events", 40, 2).shared("countries", "w2").build();
        ClusterState state = built(SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").nodes("rg2", "v1", "v2")
                .sharded("customers", 64, 1).colocated("orders", "customers", 64, 1).sharded("events", 40, 1).shared("countries", "w1").build());
        Plan first = Planner.plan(spec, state, PlanOptions.DEFAULTS);
        Plan second = Planner.plan(spec, state, PlanOptions.DEFAULTS);
        assertEquals(first, second);
        assertEquals(TextPlanRenderer.render(first, false), TextPlanRenderer.render(second, false));
        assertEquals(JsonPlanWriter.write(first), JsonPlanWriter.write(second));
        assertFalse(first.isEmpty());
    }
}
