package dev.shardman.planner.placement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupBalancerTest {
    /** Rules that forbid a unit on the nodes listed for it. */
    private static final class Forbidden implements GroupBalancer.Rules {
        final Map<UnitKey, Set<String>> forbidden = new HashMap<>();

        @Override
        public boolean canPlace(UnitKey unit, String node) {
            return !forbidden.getOrDefault(unit, Set.of()).contains(node);
        }

        @Override
        public void place(UnitKey unit, String node) {
        }

        @Override
        public void unplace(UnitKey unit, String node) {
        }
    }

    private static Holdings holdings(List<String> nodes, int... counts) {
        Holdings holdings = new Holdings(nodes);
        int index = 0;
        for (int i = 0; i < nodes.size(); i++) {
            for (int unit = 0; unit < counts[i]; unit++) {
                holdings.add(nodes.get(i), new UnitKey("t", index++));
            }
        }
        return holdings;
    }

    @Test
    void movesOnlyTheExcessOverTargetsThatFavourTheFullestNodes() {
        List<String> nodes = List.of("a", "b", "c", "d");
        Holdings holdings = holdings(nodes, 10, 10, 0, 0);
        GroupBalancer.Result result = GroupBalancer.balance(nodes, holdings, List.of(), new Forbidden());
        assertEquals(10, result.moves().size());
        assertEquals(List.of(5, 5, 5, 5), nodes.stream().map(holdings::count).toList());
    }

    @Test
    void unplacedCopiesFillDeficitsWithoutMoves() {
        List<String> nodes = List.of("a", "b", "c");
        Holdings holdings = holdings(nodes, 9, 9, 6);
        List<Unplaced> unplaced = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unplaced.add(Unplaced.of(new UnitKey("n", i), Unplaced.Origin.NEW_TABLE));
        }
        GroupBalancer.Result result = GroupBalancer.balance(nodes, holdings, unplaced, new Forbidden());
        assertEquals(0, result.moves().size());
        assertTrue(result.assignments().stream().allMatch(assignment -> assignment.node().equals("c")));
    }

    @Test
    void neverPlacesWhereForbiddenAndRelocatesItsOwnPlacementsForFree() {
        List<String> nodes = List.of("a", "b", "c");
        Holdings holdings = holdings(nodes, 0, 0, 0);
        Forbidden rules = new Forbidden();
        List<Unplaced> unplaced = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UnitKey unit = new UnitKey("n", i);
            unplaced.add(Unplaced.of(unit, Unplaced.Origin.NEW_TABLE));
            if (i >= 2) {
                rules.forbidden.put(unit, Set.of("c"));
            }
        }
        GroupBalancer.Result result = GroupBalancer.balance(nodes, holdings, unplaced, rules);
        assertEquals(0, result.moves().size());
        Set<String> used = new HashSet<>();
        result.assignments().forEach(assignment -> {
            assertTrue(rules.canPlace(assignment.unplaced().unit(), assignment.node()));
            used.add(assignment.node());
        });
        assertEquals(List.of(2, 2, 2), nodes.stream().map(holdings::count).toList());
    }

    @Test
    void aBalancedGroupIsLeftAlone() {
        List<String> nodes = List.of("a", "b", "c");
        GroupBalancer.Result result = GroupBalancer.balance(nodes, holdings(nodes, 4, 3, 4), List.of(), new Forbidden());
        assertEquals(0, result.moves().size());
    }
}
