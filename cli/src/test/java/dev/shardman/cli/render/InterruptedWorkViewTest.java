package dev.shardman.cli.render;

import dev.shardman.applier.execute.PendingRecovery;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanHeader;
import dev.shardman.planner.render.TextPlanRenderer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InterruptedWorkViewTest {
    private static final Plan EMPTY = new Plan(new PlanHeader("demo", "lineage", 4), List.of());
    private static final PendingRecovery WORK = new PendingRecovery(List.of(
            new PendingRecovery.Item(PendingRecovery.Kind.FINISH_MOVE, "finish the move of customers_3 from w1 to w3"),
            new PendingRecovery.Item(PendingRecovery.Kind.REPAIR_OBJECT, "w1: foreign table public.customers_5_fdw will be created")),
            ClusterState.empty());

    @Test
    void withoutInterruptedWorkThePlanAlone() {
        assertEquals(TextPlanRenderer.render(EMPTY, false), InterruptedWorkView.text(EMPTY, PendingRecovery.none(ClusterState.empty()), false));
    }

    @Test
    void interruptedWorkComesFirstAndAnEmptyPlanDoesNotReadAsNoChanges() {
        assertEquals("""
                Interrupted work to finish first (apply does it after the confirmation, before the steps):
                  finish the move of customers_3 from w1 to w3
                  w1: foreign table public.customers_5_fdw will be created

                No steps after it: the cluster then matches the spec.
                """, InterruptedWorkView.text(EMPTY, WORK, false));
    }

    @Test
    void jsonNamesTheKindOfEachItem() {
        assertEquals(Map.of("interrupted_work", List.of(
                Map.of("kind", "finish-move", "description", "finish the move of customers_3 from w1 to w3"),
                Map.of("kind", "repair-object", "description", "w1: foreign table public.customers_5_fdw will be created"))),
                InterruptedWorkView.json(WORK));
    }

    @Test
    void unreachableNodesAloneAreNoWork() {
        PendingRecovery unreachable = new PendingRecovery(List.of(new PendingRecovery.Item(PendingRecovery.Kind.UNREACHABLE, "w2: cannot be read")),
                ClusterState.empty());
        assertEquals(true, unreachable.isEmpty());
        assertEquals(false, WORK.isEmpty());
    }
}
