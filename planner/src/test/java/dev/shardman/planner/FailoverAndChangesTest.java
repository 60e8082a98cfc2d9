package dev.shardman.planner;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.AlterColumn;
import dev.shardman.planner.step.ChangeRedundancy;
import dev.shardman.planner.step.ChangeSharedMaster;
import dev.shardman.planner.step.ColumnPhase;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.DropShardedTable;
import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.Permission;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.step.RecreatePartition;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.shardman.planner.support.Scenarios.ALLOW_ALL;
import static dev.shardman.planner.support.Scenarios.applyAndCheckIdempotent;
import static dev.shardman.planner.support.Scenarios.assertBalanced;
import static dev.shardman.planner.support.Scenarios.built;
import static dev.shardman.planner.support.Scenarios.primaryCounts;
import static dev.shardman.planner.support.Scenarios.replicaCounts;
import static dev.shardman.planner.support.Scenarios.steps;
import static dev.shardman.planner.support.Scenarios.stepsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverAndChangesTest {
    private static final List<String> SURVIVORS = List.of("w1", "w2", "w3");

    private static SpecBuilder fourNodes(int redundancy) {
        return SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 32, redundancy);
    }

    private static SpecBuilder w4Lost(int redundancy) {
        return SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").lostNode("w4", "rg1").sharded("customers", 32, redundancy);
    }

    private static int indexOf(List<Step> steps, Class<? extends Step> type) {
        for (int i = 0; i < steps.size(); i++) {
            if (type.isInstance(steps.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void lostNodeWithReplicasIsFencedThenFailedOverAndItsCopiesRecreated() {
        ClusterState state = built(fourNodes(1).build());
        long primariesOnW4 = primaryCounts(state, "customers").get("w4");
        long replicasOnW4 = replicaCounts(state, "customers").get("w4");
        ClusterSpec spec = w4Lost(1).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        List<Step> steps = steps(plan);
        assertEquals(0, indexOf(steps, MarkNodeLost.class), "the lost node is fenced first");
        List<PromoteReplica> promotions = stepsOf(plan, PromoteReplica.class);
        assertEquals(primariesOnW4, promotions.size());
        assertTrue(promotions.stream().allMatch(promotion -> promotion.lostNode().equals("w4") && SURVIVORS.contains(promotion.expected())));
        assertEquals(primariesOnW4 + replicasOnW4, stepsOf(plan, CreateReplica.class).size(), "every lost copy is re-created");
        assertTrue(indexOf(steps, PromoteReplica.class) < indexOf(steps, CreateReplica.class));
        assertTrue(steps.stream().noneMatch(Step::dataLoss));
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertFalse(primaryCounts(next, "customers").containsKey("w4"));
        assertFalse(replicaCounts(next, "customers").containsKey("w4"));
        assertBalanced(primaryCounts(next, "customers"), SURVIVORS);
        assertBalanced(replicaCounts(next, "customers"), SURVIVORS);
        assertTrue(next.node("w4").orElseThrow().lost());
    }

    @Test
    void lostPrimaryWithoutReplicaIsRefusedThenRecreatedEmptyWhenDataLossIsAllowed() {
        ClusterState state = built(fourNodes(0).build());
        ClusterSpec spec = w4Lost(0).build();

        PlanRefusedException refused = assertThrows(PlanRefusedException.class, () -> Planner.plan(spec, state, PlanOptions.DEFAULTS));
        assertEquals(ErrorCode.REFUSED, refused.code());
        assertEquals(8, refused.refusedSteps().size());
        assertTrue(refused.refusedSteps().stream().allMatch(step -> step.permission() == Permission.ALLOW_DATA_LOSS));
        assertTrue(refused.getMessage().contains("--allow-data-loss"));

        PlanOptions allowDataLoss = new PlanOptions(false, true);
        Plan plan = Planner.plan(spec, state, allowDataLoss);
        List<RecreatePartition> recreations = stepsOf(plan, RecreatePartition.class);
        assertEquals(8, recreations.size());
        assertTrue(recreations.stream().allMatch(Step::dataLoss));
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, allowDataLoss);
        assertBalanced(primaryCounts(next, "customers"), SURVIVORS);
    }

    @Test
    void redundancyRaisedAndLoweredKeepsReplicaCountsEven() {
        List<String> nodes = List.of("w1", "w2", "w3", "w4");
        ClusterState state = built(fourNodes(0).build());
        int previous = 0;
        for (int redundancy : new int[] {1, 2, 1}) {
            ClusterSpec spec = fourNodes(redundancy).build();
            Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);
            assertEquals(List.of(new ChangeRedundancy("customers", previous, redundancy)), stepsOf(plan, ChangeRedundancy.class));
            int copies = 32 * Math.abs(redundancy - previous);
            if (redundancy > previous) {
                assertEquals(copies, stepsOf(plan, CreateReplica.class).size());
            } else {
                assertEquals(copies, stepsOf(plan, DropReplica.class).size());
            }
            state = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
            assertEquals(32L * redundancy, state.replicas().size());
            assertBalanced(replicaCounts(state, "customers"), nodes);
            assertBalanced(primaryCounts(state, "customers"), nodes);
            previous = redundancy;
        }
    }

    @Test
    void redundancyHigherThanTheGroupAllowsIsAnInputError() {
        ClusterState state = built(fourNodes(0).build());
        ShardmanException error = assertThrows(ShardmanException.class, () -> Planner.plan(fourNodes(4).build(), state, PlanOptions.DEFAULTS));
        assertEquals(ErrorCode.INVALID_INPUT, error.code());
        assertTrue(error.getMessage().contains("needs at least 5"), error.getMessage());
    }

    @Test
    void droppingATableIsRefusedUnlessDestroyIsAllowed() {
        ClusterState state = built(fourNodes(1).sharded("orders", 8, 0).shared("countries", "w1").build());
        ClusterSpec spec = fourNodes(1).build();

        PlanRefusedException refused = assertThrows(PlanRefusedException.class, () -> Planner.plan(spec, state, PlanOptions.DEFAULTS));
        assertEquals(List.of("drop-sharded-table:orders", "drop-shared-table:countries"),
                refused.refusedSteps().stream().map(step -> step.id().value()).toList());
        assertTrue(refused.getMessage().contains("--allow-destroy"));

        PlanOptions allowDestroy = new PlanOptions(true, false);
        Plan plan = Planner.plan(spec, state, allowDestroy);
        assertTrue(stepsOf(plan, DropShardedTable.class).get(0).dataLoss());
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, allowDestroy);
        assertTrue(next.table("orders").isEmpty());
        assertTrue(next.partitionsOf("orders").isEmpty());
    }

    @Test
    void addedColumnReachesSubscribersBeforePublishersAndIndexesFollow() {
        ClusterState state = built(fourNodes(1).build());
        ClusterSpec spec = fourNodes(1).column("customers", "email", "text", true, "''").index("customers", "customers_email_idx", "email").build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        List<String> ids = steps(plan).stream().map(step -> step.id().value()).toList();
        assertEquals(List.of("add-column:customers.email:subscribers", "add-column:customers.email:publishers", "create-index:customers.customers_email_idx"), ids);
        assertEquals(ColumnPhase.SUBSCRIBERS, stepsOf(plan, AddColumn.class).get(0).phase());
        assertEquals(1, stepsOf(plan, CreateIndex.class).size());
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertTrue(next.table("customers").orElseThrow().column("email").isPresent());
    }

    @Test
    void droppedColumnLeavesPublishersFirstAndNeedsAllowDestroy() {
        SpecBuilder withEmail = fourNodes(1).column("customers", "email", "text", true, null);
        ClusterState state = built(withEmail.build());
        ClusterSpec spec = fourNodes(1).build();

        assertThrows(PlanRefusedException.class, () -> Planner.plan(spec, state, PlanOptions.DEFAULTS));
        Plan plan = Planner.plan(spec, state, ALLOW_ALL);

        List<DropColumn> drops = stepsOf(plan, DropColumn.class);
        assertEquals(List.of(ColumnPhase.PUBLISHERS, ColumnPhase.SUBSCRIBERS), drops.stream().map(DropColumn::phase).toList());
        assertTrue(drops.get(0).dataLoss());
        applyAndCheckIdempotent(spec, state, plan, ALLOW_ALL);
    }

    @Test
    void changedColumnTypeDefaultAndNullability() {
        ClusterState state = built(fourNodes(0).build());
        ClusterSpec spec = fourNodes(0).column("customers", "payload", "varchar(80)", false, "'none'").build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        List<AlterColumn> alters = stepsOf(plan, AlterColumn.class);
        assertEquals(1, alters.size(), "redundancy 0: no subscribers, one step");
        assertEquals("column customers.payload will change on publishers: type text → varchar(80), default none → 'none', not null",
                alters.get(0).describe());
        applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
    }

    @Test
    void sharedTableMasterChange() {
        ClusterState state = built(fourNodes(0).shared("countries", "w1").build());
        ClusterSpec spec = fourNodes(0).shared("countries", "w2").build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        assertEquals(List.of("change-shared-master:countries"), steps(plan).stream().map(step -> step.id().value()).toList());
        assertEquals("master of shared table countries will change from w1 to w2", stepsOf(plan, ChangeSharedMaster.class).get(0).describe());
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        assertEquals("w2", next.table("countries").orElseThrow().master().orElseThrow());
    }

    @Test
    void unsupportedChangesAreReportedTogether() {
        ClusterState state = built(fourNodes(0).shared("countries", "w1").build());
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 16, 0).shared("countries", "w9").build();
        ShardmanException error = assertThrows(ShardmanException.class, () -> Planner.plan(spec, state, PlanOptions.DEFAULTS));
        assertEquals(ErrorCode.INVALID_INPUT, error.code());
        assertTrue(error.summary().contains("2 problems"), error.getMessage());
        assertTrue(error.detail().contains("partitions 32 → 16"), error.detail());
    }

    @Test
    void lostNodeListedWithoutLostIsNeverBroughtBackAndAsksForTheSpecEdit() {
        ClusterState state = built(fourNodes(1).build());
        ClusterState failedOver = dev.shardman.planner.StateProjection.project(state, Planner.plan(w4Lost(1).build(), state, PlanOptions.DEFAULTS));
        Plan unmarked = Planner.plan(fourNodes(1).build(), failedOver, PlanOptions.DEFAULTS);
        assertEquals(List.of(), steps(unmarked), "a node failed over is never re-added nor moved back to");
        assertEquals(List.of(dev.shardman.planner.diff.NodeDiff.lostInStateOnly("w4")), unmarked.warnings());
        Plan marked = Planner.plan(w4Lost(1).build(), failedOver, PlanOptions.DEFAULTS);
        assertTrue(marked.isEmpty() && marked.warnings().isEmpty(), "after the spec edit the plan is empty and says nothing");
        Plan removal = Planner.plan(SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").sharded("customers", 32, 1).build(), failedOver, PlanOptions.DEFAULTS);
        assertEquals(List.of("drop-foreign-servers:w4", "remove-node:w4"), steps(removal).stream().map(step -> step.id().value()).toList());
    }

    @Test
    void colocatedTableAddedToAnExistingAnchorFollowsItAfterTheMoves() {
        ClusterState state = built(SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").sharded("customers", 12, 1).build());
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").sharded("customers", 12, 1)
                .colocated("orders", "customers", 12, 1).build();

        Plan plan = Planner.plan(spec, state, PlanOptions.DEFAULTS);

        List<String> ids = steps(plan).stream().map(step -> step.id().value()).toList();
        assertEquals("create-sharded-table:orders", ids.get(ids.size() - 1 - (int) ids.stream().filter(id -> id.startsWith("drop-replication-channel")).count()));
        ClusterState next = applyAndCheckIdempotent(spec, state, plan, PlanOptions.DEFAULTS);
        Map<String, String> customers = new java.util.HashMap<>();
        next.partitionsOf("customers").forEach(partition -> customers.put(String.valueOf(partition.index()), partition.node()));
        next.partitionsOf("orders").forEach(partition -> assertEquals(customers.get(String.valueOf(partition.index())), partition.node()));
        next.partitionsOf("orders").forEach(partition -> assertEquals(next.replicaNodesOf("customers_" + partition.index()), next.replicaNodesOf(partition.name())));
    }

    @Test
    void everythingAtOnceStaysAcyclicAndConverges() {
        ClusterState state = built(SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3", "w4").nodes("rg2", "v1", "v2")
                .sharded("customers", 16, 1).colocated("orders", "customers", 16, 1).sharded("events", 8, 0).shared("countries", "w1")
                .column("customers", "email", "text", true, null).index("customers", "customers_email_idx", "email").build());
        ClusterSpec spec = SpecBuilder.cluster().nodes("rg1", "w1", "w2", "w3").lostNode("w4", "rg1").node("w5", "rg1").nodes("rg2", "v1", "v2", "v3")
                .sharded("customers", 16, 1).colocated("orders", "customers", 16, 1).colocated("invoices", "customers", 16, 1)
                .shared("countries", "w2").sharded("logs", 6, 1).column("customers", "name", "text", false, "''").build();

        Plan plan = Planner.plan(spec, state, ALLOW_ALL);

        ClusterState next = applyAndCheckIdempotent(spec, state, plan, ALLOW_ALL);
        assertTrue(next.table("events").isEmpty());
        assertEquals(16, next.partitionsOf("invoices").size());
        assertTrue(next.partitionsOf("logs").stream().noneMatch(partition -> partition.node().equals("w4")));
        List<Step> steps = steps(plan);
        assertTrue(indexOf(steps, MarkNodeLost.class) < indexOf(steps, PromoteReplica.class));
    }
}
