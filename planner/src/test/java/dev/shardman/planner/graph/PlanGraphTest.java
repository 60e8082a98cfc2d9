package dev.shardman.planner.graph;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.planner.step.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanGraphTest {
    @Test
    void ordersTopologicallyWithTiesBrokenByNaturalId() {
        List<Step> steps = List.of(EdgeRulesTest.move(10, "w1", "w2"), EdgeRulesTest.move(2, "w1", "w2"), EdgeRulesTest.register("w9"));
        List<PlannedStep> ordered = PlanGraph.order(steps, List.of());
        assertEquals(List.of("move-primary:t_2", "move-primary:t_10", "register-node:w9"), ordered.stream().map(step -> step.id().value()).toList());
    }

    @Test
    void aCycleIsAnErrorNamingItsSteps() {
        Step first = EdgeRulesTest.move(1, "w1", "w2");
        Step second = EdgeRulesTest.move(2, "w1", "w2");
        EdgeRule circular = steps -> List.of(new Edge(first.id(), second.id(), "test"), new Edge(second.id(), first.id(), "test"));
        ShardmanException error = assertThrows(ShardmanException.class, () -> PlanGraph.order(List.of(first, second), List.of(circular)));
        assertEquals(ErrorCode.INTERNAL, error.code());
        assertTrue(error.summary().endsWith("cycle: move-primary:t_1, move-primary:t_2"), error.summary());
    }

    @Test
    void dependenciesAreRecordedSorted() {
        Step first = EdgeRulesTest.move(1, "w1", "w2");
        Step second = EdgeRulesTest.move(2, "w1", "w2");
        Step third = EdgeRulesTest.move(3, "w1", "w2");
        EdgeRule rule = steps -> List.of(new Edge(second.id(), third.id(), "test"), new Edge(first.id(), third.id(), "test"));
        List<PlannedStep> ordered = PlanGraph.order(List.of(third, second, first), List.of(rule));
        assertEquals(List.of(first.id(), second.id()), ordered.get(2).dependsOn());
    }
}
