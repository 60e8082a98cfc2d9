package dev.shardman.planner.step;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepKindsTest {
    @Test
    void everyStepKindIsARecordWithADistinctKind() {
        Class<?>[] kinds = Step.class.getPermittedSubclasses();
        Set<String> names = new TreeSet<>();
        for (Class<?> kind : kinds) {
            assertTrue(kind.isRecord(), kind + " is not a record");
            assertTrue(names.add(StepKinds.kindOf(kind)), "duplicate kind " + kind);
        }
        assertEquals("move_primary", StepKinds.kindOf(MovePrimary.class));
    }

    @Test
    void idsOrderNaturally() {
        List<StepId> ids = new java.util.ArrayList<>(List.of(new StepId("move-primary:t_10"), new StepId("move-primary:t_2"),
                new StepId("move-primary:t_1"), new StepId("add-column:t.c:publishers")));
        ids.sort(null);
        assertEquals(List.of("add-column:t.c:publishers", "move-primary:t_1", "move-primary:t_2", "move-primary:t_10"),
                ids.stream().map(StepId::value).toList());
        assertTrue(new StepId("a_02").compareTo(new StepId("a_2")) != 0, "distinct ids never compare equal");
    }

    @Test
    void colocatedUnitsDescribeAllTheirPartitions() {
        MovePrimary move = new MovePrimary(new PartitionUnit(List.of("customers", "orders"), 3), "w1", "w4");
        assertEquals("customers_3, orders_3 will be moved from w1 to w4", move.describe());
        assertEquals("move-primary:customers_3", move.id().value());
    }
}
