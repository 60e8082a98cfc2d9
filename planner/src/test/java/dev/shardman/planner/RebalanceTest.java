package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.shardman.planner.support.Scenarios.applyAndCheckIdempotent;
import static dev.shardman.planner.support.Scenarios.assertBalanced;
import static dev.shardman.planner.support.Scenarios.built;
import static dev.shardman.planner.support.Scenarios.primaryCounts;
import static dev.shardman.planner.support.Scenarios.replicaCounts;
import static dev.shardman.planner.support.Scenarios.steps;
import static dev.shardman.planner.support.Scenarios.stepsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RebalanceTest {
    private static SpecBuilder threeNodes() {
        return SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3");
    }

    @Test
    void newTableIsPlacedRoundRobinWithReplicasElsewhere() {
        ClusterSpec spec = threeNodes().sharded("customers", 30, 1).build();
        Plan plan = Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS);
        CreateShardedTable create = stepsOf(plan, CreateShardedTable.class).get(0);
        assertEquals(List.of("w1", "w2", "w3", "w1"), create.placements().subList(0, 4).stream().map(placement -> placement.primary()).toList());
        ClusterState state = applyAndCheckIdempotent(spec, ClusterState.empty(), plan, PlanOptions.DEFAULTS);
        assertEquals(Map.of("w1", 10L, "w2", 10L, "w3", 10L), primaryCounts(state, "customers"));
        assertEquals(Map.of("w1", 10L, "w2", 10L, "w3", 10L), replicaCounts(state, "customers"));
    }

    @Test
    void eachNodesPrimariesReplicateToEveryPeerEvenWithTwoGroups() {
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").nodes("rg2", "v1", "v2", "v3").sharded("customers", 24, 1).build();
        ClusterState state = applyAndCheckIdempotent(spec, ClusterState.empty(), Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS), PlanOptions.DEFAULTS);
        Map<String, String> holders = state.partitions().stream().collect(Collectors.toMap(PartitionState::name, PartitionState::node));
        Map<String, Long> pairs = new java.util.TreeMap<>(state.replicas().stream()
                .collect(Collectors.groupingBy(replica -> holders.get(replica.partition()) + ">" + replica.node(), Collectors.counting())));
        assertEquals(List.of("v1>v2", "v1>v3", "v2>v1", "v2>v3", "v3>v1", "v3>v2", "w1>w2", "w1>w3", "w2>w1", "w2>w3", "w3>w1", "w3>w2"),
                List.copyOf(pairs.keySet()), "a lost node's primaries fail over to several peers, not all to one");
        assertTrue(pairs.values().stream().allMatch(count -> count == 2L), () -> "replicas of each node's primaries spread evenly: " + pairs);
    }

    /**
     * Primaries first would put all seven new primaries on the new node (it is the one below its target) and leave their
     * replicas only two nodes (4/3/0): the group is placed jointly instead, with two primary moves.
     */
    @Test
    void nodeAndReplicatedTableAddedTogetherBalanceBothRoles() {
        ClusterState state = built(SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("orders", 16, 0).build());
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").sharded("orders", 16, 0).sharded("customers", 7, 1).build();
        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        Map<String, Long> primaries = new java.util.TreeMap<>(primaryCounts(next, "orders"));
        primaryCounts(next, "customers").forEach((node, count) -> primaries.merge(node, count, Long::sum));
        assertBalanced(primaries, List.of("w1", "w2", "w3"));
        assertBalanced(replicaCounts(next, "customers"), List.of("w1", "w2", "w3"));
        assertEquals(2, stepsOf(plan, MovePrimary.class).size(), () -> "primary moves: " + stepsOf(plan, MovePrimary.class));
        assertTrue(plan.warnings().isEmpty(), () -> "warnings: " + plan.warnings());
    }

    @Test
    void addingAFourthNodeToThirtyPartitionsMovesExactlySeven() {
        ClusterState state = built(threeNodes().sharded("customers", 30, 0).build());
        ClusterSpec spec = threeNodes().node("w4", "rg1").sharded("customers", 30, 0).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        assertEquals(7, stepsOf(plan, MovePrimary.class).size());
        assertTrue(stepsOf(plan, MovePrimary.class).stream().allMatch(move -> move.to().equals("w4")));
        assertEquals(1, stepsOf(plan, RegisterNode.class).size());
        assertEquals(List.of("w1", "w2", "w3"), stepsOf(plan, CreateForeignServers.class).get(0).peers());
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertEquals(Map.of("w1", 8L, "w2", 8L, "w3", 7L, "w4", 7L), primaryCounts(next, "customers"));
    }

    @Test
    void addingANodeWithRedundancyOneMovesSevenPrimariesAndSevenReplicas() {
        ClusterState state = built(threeNodes().sharded("customers", 30, 1).build());
        ClusterSpec spec = threeNodes().node("w4", "rg1").sharded("customers", 30, 1).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        assertEquals(7, stepsOf(plan, MovePrimary.class).size());
        assertEquals(7, stepsOf(plan, MoveReplica.class).size());
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertBalanced(primaryCounts(next, "customers"), List.of("w1", "w2", "w3", "w4"));
        assertBalanced(replicaCounts(next, "customers"), List.of("w1", "w2", "w3", "w4"));
    }

    @Test
    void colocatedTablesMoveAsSevenUnitsOfTwoPartitions() {
        SpecBuilder before = threeNodes().sharded("customers", 30, 0).colocated("orders", "customers", 30, 0);
        ClusterState state = built(before.build());
        ClusterSpec spec = threeNodes().node("w4", "rg1").sharded("customers", 30, 0).colocated("orders", "customers", 30, 0).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        List<MovePrimary> moves = stepsOf(plan, MovePrimary.class);
        assertEquals(7, moves.size());
        assertTrue(moves.stream().allMatch(move -> move.unit().tables().equals(List.of("customers", "orders"))));
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        Map<Integer, String> customers = next.partitionsOf("customers").stream().collect(Collectors.toMap(PartitionState::index, PartitionState::node));
        next.partitionsOf("orders").forEach(order -> assertEquals(customers.get(order.index()), order.node(), order.name()));
    }

    @Test
    void twoGroupsEachGettingANodeRebalanceInsideTheirGroup() {
        SpecBuilder base = SpecBuilder.cluster().nodes("rg1", "a1", "a2", "a3").nodes("rg2", "b1", "b2", "b3");
        ClusterState state = built(base.sharded("events", 60, 1).build());
        assertEquals(30, state.partitions().stream().filter(partition -> partition.node().startsWith("a")).count());
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "a1", "a2", "a3", "a4").nodes("rg2", "b1", "b2", "b3", "b4")
                .sharded("events", 60, 1).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        List<MovePrimary> moves = stepsOf(plan, MovePrimary.class);
        assertEquals(14, moves.size());
        assertTrue(moves.stream().allMatch(move -> move.from().charAt(0) == move.to().charAt(0)), "a move crossed groups");
        assertTrue(stepsOf(plan, MoveReplica.class).stream().allMatch(move -> move.from().charAt(0) == move.to().charAt(0)));
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertBalanced(primaryCounts(next, "events"), List.of("a1", "a2", "a3", "a4"));
        assertBalanced(primaryCounts(next, "events"), List.of("b1", "b2", "b3", "b4"));
        assertBalanced(replicaCounts(next, "events"), List.of("b1", "b2", "b3", "b4"));
    }

    @Test
    void removingALiveNodeDrainsItFirstAndRemovesItLast() {
        SpecBuilder four = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 30, 1);
        ClusterState state = built(four.build());
        long primariesOnW4 = primaryCounts(state, "customers").get("w4");
        long replicasOnW4 = replicaCounts(state, "customers").get("w4");
        ClusterSpec spec = threeNodes().sharded("customers", 30, 1).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        assertEquals(primariesOnW4, stepsOf(plan, MovePrimary.class).size());
        assertTrue(stepsOf(plan, MovePrimary.class).stream().allMatch(move -> move.from().equals("w4")));
        assertEquals(replicasOnW4, stepsOf(plan, MoveReplica.class).stream().filter(move -> move.from().equals("w4")).count());
        List<String> order = steps(plan).stream().map(step -> step.id().value()).toList();
        assertEquals("remove-node:w4", order.get(order.size() - 1));
        assertEquals("drop-foreign-servers:w4", order.get(order.size() - 2));
        assertEquals(1, stepsOf(plan, DropForeignServers.class).size());
        assertEquals(1, stepsOf(plan, RemoveNode.class).size());
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertBalanced(primaryCounts(next, "customers"), List.of("w1", "w2", "w3"));
        assertBalanced(replicaCounts(next, "customers"), List.of("w1", "w2", "w3"));
    }

    @Test
    void emptyNodesCountAndNewTablesFillThemWithoutMoves() {
        ClusterState state = built(threeNodes().sharded("customers", 30, 0).build());
        ClusterSpec spec = threeNodes().node("w4", "rg1").sharded("customers", 30, 0).sharded("orders", 10, 0).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        assertEquals(0, stepsOf(plan, MovePrimary.class).size(), "the new table's 10 partitions fill the new node: 40/4 = 10 each");
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertEquals(Map.of("w4", 10L), primaryCounts(next, "orders"));
    }

    @Test
    void balancedClusterPlansNothing() {
        ClusterSpec spec = threeNodes().sharded("customers", 31, 1).shared("countries", "w1").build();
        assertTrue(Planner.plan(spec, built(spec), PlanOptions.DEFAULTS).isEmpty());
    }
}
