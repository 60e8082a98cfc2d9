package dev.shardman.planner.placement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JointPlacementTest {
    private static final List<String> NODES = List.of("a", "b", "c");

    private static JointPlacement.Unit kept(int index, String primary, String... replicas) {
        return new JointPlacement.Unit(new UnitKey("t", index), primary, null, Set.of(replicas), List.of());
    }

    @Test
    void provesAGroupUnbalanceableWhenEveryPrimaryIsPinnedByItsReplicas() {
        // Redundancy 2 on 3 nodes: no primary may move (the other nodes hold its replicas); a holds two primaries, c none.
        List<JointPlacement.Unit> units = List.of(kept(0, "a", "b", "c"), kept(1, "a", "b", "c"), kept(2, "b", "a", "c"));
        JointPlacement.Search search = JointPlacement.place(NODES, units);
        assertNull(search.result());
        assertTrue(search.decided());
    }

    @Test
    void aRecreatedPrimaryTakesTheOnlyNodeWithoutItsCopiesAndOneSingleCopyUnitMakesRoom() {
        // Full units (redundancy 2) 0 on a, 1 on b, 2 re-created (replicas on a and b: only c may take it); single-copy
        // units 3 and 4 on c, 5 on a. c would hold three primaries: one of 3 and 4 moves to b (one move, the least).
        List<JointPlacement.Unit> units = new ArrayList<>(List.of(kept(0, "a", "b", "c"), kept(1, "b", "a", "c"),
                kept(3, "c"), kept(4, "c"), kept(5, "a")));
        units.add(new JointPlacement.Unit(new UnitKey("t", 2), null, Unplaced.of(new UnitKey("t", 2), Unplaced.Origin.RECREATE), Set.of("a", "b"),
                List.of()));
        JointPlacement.Search search = JointPlacement.place(NODES, units);
        assertTrue(search.decided());
        assertBalanced(units, search.result());
        assertEquals("c", search.result().primaries().get(new UnitKey("t", 2)));
        assertEquals(1, units.stream().filter(unit -> unit.primary() != null && !unit.primary().equals(search.result().primaries().get(unit.key()))).count());
        units.forEach(unit -> assertEquals(unit.keptReplicas(), search.result().replicas().get(unit.key())));
    }

    @Test
    void placesThousandsOfAlikeUnitsAsKinds() {
        // 3,000 units of redundancy 2 on a, b, c (a copy on every node), already balanced: three kinds of alike units for
        // the flows, and the placement stays as it is (no move).
        List<JointPlacement.Unit> units = new ArrayList<>();
        for (int index = 0; index < 3_000; index++) {
            String primary = NODES.get(index % 3);
            units.add(kept(index, primary, NODES.stream().filter(node -> !node.equals(primary)).toArray(String[]::new)));
        }
        long start = System.nanoTime();
        JointPlacement.Search search = JointPlacement.place(NODES, units);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertBalanced(units, search.result());
        units.forEach(unit -> {
            assertEquals(unit.primary(), search.result().primaries().get(unit.key()));
            assertEquals(unit.keptReplicas(), search.result().replicas().get(unit.key()));
        });
    }

    private static void assertBalanced(List<JointPlacement.Unit> units, JointPlacement.Result result) {
        Map<String, Integer> primaries = new HashMap<>();
        Map<String, Integer> replicas = new HashMap<>();
        NODES.forEach(node -> {
            primaries.put(node, 0);
            replicas.put(node, 0);
        });
        for (JointPlacement.Unit unit : units) {
            String primary = result.primaries().get(unit.key());
            assertTrue(!unit.keptReplicas().contains(primary) || primary.equals(unit.primary()), "primary onto its own replica: " + unit);
            assertFalse(result.replicas().get(unit.key()).contains(primary), "replica on its primary's node: " + unit);
            assertEquals(unit.redundancy(), result.replicas().get(unit.key()).size());
            primaries.merge(primary, 1, Integer::sum);
            result.replicas().get(unit.key()).forEach(node -> replicas.merge(node, 1, Integer::sum));
        }
        for (Map<String, Integer> counts : List.of(primaries, replicas)) {
            int most = counts.values().stream().max(Integer::compare).orElseThrow();
            int least = counts.values().stream().min(Integer::compare).orElseThrow();
            assertTrue(most - least <= 1, "unbalanced: " + counts);
        }
    }
}
