package dev.shardman.applier.execute;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.Step;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan-time needs (channels, moves, locks) and the refusals' wording, without a server. */
class NodeRequirementsTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "cluster.yaml");

    private static NodeRequirements.ServerFacts server(String node, int slots, int senders, int workers, int processes, String systemIdentifier) {
        return new NodeRequirements.ServerFacts(node, 170000, "logical", new int[] {slots, senders, workers, processes, 64}, systemIdentifier,
                1024, 64, 100, 2, 5432, "postgres");
    }

    @Test
    void aSteadyClusterNeedsOneSlotPerOutgoingChannelAndOneWorkerPerSubscription() {
        ClusterSpec spec = SpecLoader.load(EXAMPLE, Map.of()).spec().orElseThrow();
        ClusterState built = StateProjection.project(ClusterState.empty(), Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS));
        Map<String, ChannelDemand> steady = ChannelDemand.of(built, built, List.of(), node -> 2);
        // w1 holds the shared table: channels to w2 and w3 for its replicas, and the shared channels to both
        assertEquals(List.of(4, 2, 2), List.of(steady.get("w1").slots(), steady.get("w2").slots(), steady.get("w3").slots()));
        assertEquals(List.of(2, 3, 3), List.of(steady.get("w1").logicalWorkers(), steady.get("w2").logicalWorkers(), steady.get("w3").logicalWorkers()));
        assertEquals(4, steady.get("w2").workerProcesses());
        assertEquals(steady.get("w1").slots(), steady.get("w1").walSenders());
    }

    @Test
    void newChannelsAddTheirTableSyncWorkers() {
        ClusterSpec spec = SpecLoader.load(EXAMPLE, Map.of()).spec().orElseThrow();
        Plan plan = Planner.plan(spec, ClusterState.empty(), PlanOptions.DEFAULTS);
        ClusterState built = StateProjection.project(ClusterState.empty(), plan);
        List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
        Map<String, ChannelDemand> creating = ChannelDemand.of(ClusterState.empty(), built, steps, node -> 2);
        // required: the channels and one table sync at a time; at full speed the shared channels copy one table
        // each (one sync worker), the replica channels two (max_sync_workers_per_subscription here)
        assertEquals(4 + 1, creating.get("w1").slots(), creating.get("w1").asSource());
        assertEquals(4 + 2 + 2 + 1 + 1, creating.get("w1").fullSlots(), creating.get("w1").asSource());
        assertEquals(2 + 1, creating.get("w2").slots(), creating.get("w2").asSource());
        assertEquals(2 + 2 + 2, creating.get("w2").fullSlots(), creating.get("w2").asSource());
        assertEquals(3 + 1, creating.get("w2").logicalWorkers(), creating.get("w2").asDestination());
        assertEquals(3 + 2 + 2 + 1, creating.get("w2").fullLogicalWorkers(), creating.get("w2").asDestination());
        assertEquals("4 channels from this node, 0 data move, 1 table sync", creating.get("w1").asSource());
        assertEquals(Map.of("w1", 61L, "w2", 61L, "w3", 61L), PlanPreflight.locksNeeded(steps));
    }

    @Test
    void refusalsNameTheNodeTheSettingTheNeedAndTheValueToUse() {
        ChannelDemand demand = new ChannelDemand(6, 6, 3, 9, 5, "2 channels out", "2 in");
        List<String> problems = NodeRequirements.planProblems(server("w1", 1, 64, 32, 48, "7"), demand, 0);
        assertEquals(List.of("w1: max_replication_slots is 1, the plan needs 6 (2 channels out): run ALTER SYSTEM SET max_replication_slots = 16;"
                + " then restart the server"), problems);
        assertEquals(List.of("w1: max_replication_slots is 6, the plan's initial copies could use 9 at once and will wait their turn instead;"
                + " for full speed run ALTER SYSTEM SET max_replication_slots = 9; then restart the server"),
                NodeRequirements.slowCopies(server("w1", 6, 64, 32, 48, "7"), demand));
        assertEquals(List.of(), NodeRequirements.slowCopies(server("w1", 1, 64, 32, 48, "7"), demand));
        assertEquals(List.of(), NodeRequirements.planProblems(server("w1", 6, 6, 3, 4, "7"), demand, 0));
        List<String> processes = NodeRequirements.planProblems(server("w1", 64, 64, 32, 3, "7"), demand, 0);
        assertEquals(1, processes.size());
        assertTrue(processes.get(0).startsWith("w1: max_worker_processes is 3, the plan needs 4 "), processes.get(0));
    }

    @Test
    void aTableTooLargeForTheLockTableIsRefusedWithAPerTransactionValue() {
        // 64 locks × (100 connections + 64 prepared) = 10,496 slots; 5,000 partitions take about 20,001 locks
        List<String> problems = NodeRequirements.planProblems(server("w2", 64, 64, 32, 48, "7"), ChannelDemand.NONE, 20_001);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("w2: max_locks_per_transaction is 64, the largest table the plan creates in one transaction"
                + " takes about 20001 locks, more than the lock table holds (64 × 164 sessions = 10496): run ALTER SYSTEM SET"
                + " max_locks_per_transaction = 244;"), problems.get(0));
        assertEquals(List.of(), NodeRequirements.planProblems(server("w2", 64, 64, 32, 48, "7"), ChannelDemand.NONE, 10_496));
    }

    @Test
    void twoNodesOnOneServerAreNamedWithTheirPortAndDatabase() {
        List<String> problems = NodeRequirements.sameServerProblems(List.of(server("w1", 1, 1, 1, 2, "7"), server("w2", 1, 1, 1, 2, "8"),
                server("w3", 1, 1, 1, 2, "7")));
        assertEquals(List.of("w3 is the same server as w1 (system identifier 7; port 5432 database postgres, port 5432 database postgres):"
                + " each node needs a server of its own; give w3 the conninfo of another server in cluster.yaml"), problems);
        assertEquals(List.of(), NodeRequirements.sameServerProblems(List.of(server("w1", 1, 1, 1, 2, "7"), server("w2", 1, 1, 1, 2, "8"))));
    }
}
