package dev.shardman.applier.execute;

import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepGroupTest {
    private static final StepGroup.LockBudget DEFAULTS = (node, state) -> StepGroup.LOCK_BUDGET;
    /** What the executors' checks give, without the nodes: a node to register keeps no system identifier here. */
    private static final StepGroup.StateCheck PROJECT = (executor, state) -> StateProjection.apply(state, executor.step());
    private static final ClusterState EMPTY = ClusterState.withDefaultSettings("3f0d7a57-0000-4000-8000-000000000000", 0, List.of(), List.of(),
            List.of(), List.of());

    @Test
    void theBenchmarksTablesGroupWithTheLastForeignServersAsFarAsTheLockBudgetGoes() {
        // bench/run-apply.sh 10 64: each table has an index; per node 1 parent + 64 partitions + 22 keys + 22 indexes + the parent's index
        List<StepExecutor> executors = ApplyEngine.executors(plan(10, 64, "    indexes:\n      - {name: TABLE_v_idx, columns: [v]}\n"));
        List<String> rounds = rounds(executors, id -> false);
        // the registrations join the round too: they change no channel (StepChannels.onlyNodesDiffer)
        assertEquals(List.of("register-node:w1 … create-sharded-table:t8 (14)", "create-sharded-table:t9"), rounds);
        ClusterState state = stateAt(executors, 4);
        StepGroup group = StepGroup.at(executors, 4, state, id -> false, PROJECT, DEFAULTS).orElseThrow();
        // measured (pg_locks of the prepared transaction, 2026-12-05): 2,559 locks per node for this group
        assertEquals(2_907, StepGroup.locksPerNode(state, group.last()));

        assertEquals(List.of("register-node:w1 … create-sharded-table:t9 (15)"), rounds(ApplyEngine.executors(plan(10, 64, "")), id -> false));
    }

    @Test
    void theLockBudgetEndsAGroupAndAStepOverItRunsAlone() {
        List<StepExecutor> executors = ApplyEngine.executors(plan(7, 250, ""));
        List<String> rounds = rounds(executors, id -> false);
        // 250 partitions on 3 nodes: per node 1 parent + 250 partitions + 84 keys = 335 objects, 1,005 locks: 3 tables fit
        assertEquals(List.of("register-node:w1 … create-sharded-table:t2 (8)", "create-sharded-table:t3 … create-sharded-table:t5 (3)",
                "create-sharded-table:t6"), rounds);
        ClusterState state = stateAt(executors, 4);
        StepGroup group = StepGroup.at(executors, 4, state, id -> false, PROJECT, DEFAULTS).orElseThrow();
        assertTrue(StepGroup.locksPerNode(state, group.last()) <= StepGroup.LOCK_BUDGET);
        ClusterState withNext = StepGroup.plainAfter(executors.get(8), group.last(), id -> false, PROJECT).orElseThrow();
        assertTrue(StepGroup.locksPerNode(state, withNext) > StepGroup.LOCK_BUDGET, "the cap ended it");

        List<StepExecutor> huge = ApplyEngine.executors(plan(2, 1200, ""));
        assertEquals(List.of("register-node:w1 … create-foreign-servers:w3 (5)", "create-sharded-table:t0", "create-sharded-table:t1"),
                rounds(huge, id -> false));
    }

    @Test
    void aNodeWithASmallerLockTableEndsTheGroupsItsLocksWouldOverfill() {
        List<StepExecutor> executors = ApplyEngine.executors(plan(6, 64, ""));
        // w2 at max_locks_per_transaction 64 × (max_connections 20 + 1 prepared transaction): half of 1,344
        StepGroup.LockBudget smallW2 = (node, budgetState) -> node.equals("w2") ? 672 : StepGroup.LOCK_BUDGET;
        // about 261 locks per table on w2 (its parent, partitions, foreign tables and keys): two tables fit, three do not
        assertEquals(List.of("register-node:w1 … create-sharded-table:t1 (7)", "create-sharded-table:t2 … create-sharded-table:t3 (2)",
                "create-sharded-table:t4 … create-sharded-table:t5 (2)"), rounds(executors, id -> false, smallW2));
        ClusterState state = EMPTY;
        for (int index = 0; index < executors.size(); index++) {
            Optional<StepGroup> group = StepGroup.at(executors, index, state, id -> false, PROJECT, smallW2);
            ClusterState after = group.map(StepGroup::last).orElse(dev.shardman.planner.StateProjection.apply(state, executors.get(index).step()));
            if (group.isPresent()) {
                assertTrue(StepGroup.locksByNode(state, after).get("w2") <= 672, "a group stays within w2's budget");
                index += group.get().executors().size() - 1;
            }
            state = after;
        }
        assertEquals(List.of("register-node:w1 … create-sharded-table:t5 (11)"), rounds(executors, id -> false), "the defaults group all six tables");
    }

    @Test
    void aStepWithAnArmedFaultPointRunsAlone() {
        List<StepExecutor> executors = ApplyEngine.executors(plan(4, 8, ""));
        assertEquals(List.of("register-node:w1 … create-sharded-table:t0 (6)", "create-sharded-table:t1",
                "create-sharded-table:t2 … create-sharded-table:t3 (2)"), rounds(executors, "create-sharded-table:t1"::equals));
        FaultHook roundPoint = new FaultHook(Map.of(FaultHook.VARIABLE, "create-sharded-table:t1@" + FaultHook.ROUND_PREPARED));
        FaultHook stepPoint = new FaultHook(Map.of(FaultHook.VARIABLE, "create-sharded-table:t1@" + FaultHook.AFTER_NODE_WORK));
        assertEquals(List.of(false, true), List.of(roundPoint.armedFor("create-sharded-table:t1"), stepPoint.armedFor("create-sharded-table:t1")));
        assertEquals(false, stepPoint.armedFor("create-sharded-table:t"));
    }

    @Test
    void aTableWithReplicasChangesTheChannelsAndRunsAloneWhileChannelChecksGroup() {
        List<StepExecutor> replicated = ApplyEngine.executors(plan(3, 8, "    redundancy: 1\n"));
        // a replication channel step only verifies its two nodes (the channels follow the replicas): plain
        assertEquals(List.of("register-node:w1 … create-replication-channel:w3->w2 (11)", "create-sharded-table:t0",
                "create-sharded-table:t1", "create-sharded-table:t2"), rounds(replicated, id -> false));
    }

    @Test
    void aStepThatDropsDataRunsAlone() {
        List<StepExecutor> create = ApplyEngine.executors(plan(3, 8, ""));
        ClusterState built = stateAt(create, create.size());
        String spec = specText(1, 8, "");
        List<StepExecutor> drops = ApplyEngine.executors(Planner.plan(SpecLoader.load("cluster.yaml", spec, Map.of()).orElseThrow(), built,
                new PlanOptions(true, false)));
        assertEquals(List.of("drop-sharded-table:t1", "drop-sharded-table:t2"), drops.stream().map(executor -> executor.step().id().value()).toList());
        assertEquals(Optional.empty(), StepGroup.at(drops, 0, built, id -> false, PROJECT, DEFAULTS), "each drop carries --allow-destroy: alone");
    }

    /** How the runner would cut the plan into rounds: a group as "first … last (size)", a step alone by its id. */
    private static List<String> rounds(List<StepExecutor> executors, java.util.function.Predicate<String> armed) {
        return rounds(executors, armed, DEFAULTS);
    }

    private static List<String> rounds(List<StepExecutor> executors, java.util.function.Predicate<String> armed, StepGroup.LockBudget budget) {
        List<String> rounds = new java.util.ArrayList<>();
        ClusterState state = EMPTY;
        for (int index = 0; index < executors.size(); index++) {
            Optional<StepGroup> group = StepGroup.at(executors, index, state, armed, PROJECT, budget);
            if (group.isPresent()) {
                List<String> ids = group.get().stepIds();
                rounds.add(ids.get(0) + " … " + ids.get(ids.size() - 1) + " (" + ids.size() + ")");
                index += ids.size() - 1;
                state = group.get().last();
            } else {
                rounds.add(executors.get(index).step().id().value());
                state = dev.shardman.planner.StateProjection.apply(state, executors.get(index).step());
            }
        }
        return rounds;
    }

    private static ClusterState stateAt(List<StepExecutor> executors, int index) {
        ClusterState state = EMPTY;
        for (int step = 0; step < index; step++) {
            state = dev.shardman.planner.StateProjection.apply(state, executors.get(step).step());
        }
        return state;
    }

    private static Plan plan(int tables, int partitions, String extra) {
        return Planner.plan(SpecLoader.load("cluster.yaml", specText(tables, partitions, extra), Map.of()).orElseThrow(), EMPTY, PlanOptions.DEFAULTS);
    }

    private static String specText(int tables, int partitions, String extra) {
        StringBuilder spec = new StringBuilder("""
                cluster: bench
                shardlord: "host=127.0.0.1 port=1 dbname=postgres user=postgres"
                nodes:
                  - {name: w1, super_conninfo: "host=127.0.0.1 port=2 dbname=postgres user=postgres", replication_group: rg1}
                  - {name: w2, super_conninfo: "host=127.0.0.1 port=3 dbname=postgres user=postgres", replication_group: rg1}
                  - {name: w3, super_conninfo: "host=127.0.0.1 port=4 dbname=postgres user=postgres", replication_group: rg1}
                tables:
                """);
        for (int table = 0; table < tables; table++) {
            spec.append("  - name: t").append(table).append("\n    type: sharded\n    columns:\n      - {name: id, type: bigint, nullable: false}\n")
                    .append("      - {name: v, type: text}\n    primary_key: [id]\n    sharding_key: id\n    partitions: ").append(partitions)
                    .append("\n").append(extra.replace("TABLE", "t" + table));
        }
        return spec.toString();
    }
}
