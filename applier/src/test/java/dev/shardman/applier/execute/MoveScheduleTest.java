package dev.shardman.applier.execute;

import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.StepId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MoveScheduleTest {
    private static MovePrimary move(int index, String from, String to) {
        return new MovePrimary(new PartitionUnit(List.of("orders"), index), from, to);
    }

    /** The steps one after another, each depending on the one before (as the planner chains data moves). */
    private static List<PlannedStep> chained(Step... steps) {
        List<PlannedStep> planned = new ArrayList<>();
        StepId previous = null;
        for (Step step : steps) {
            planned.add(new PlannedStep(step, previous == null ? List.of() : List.of(previous)));
            previous = step.id();
        }
        return planned;
    }

    @Test
    void parallelismOneStartsNothingAhead() {
        MoveSchedule schedule = new MoveSchedule(chained(move(0, "w1", "w5"), move(1, "w2", "w6"), move(2, "w3", "w7")), 1, 4);

        assertEquals(List.of(), schedule.startable(0, Set.of()));
    }

    @Test
    void chainedMovesOnDistinctNodesStartUpToTheParallelism() {
        MoveSchedule schedule = new MoveSchedule(chained(move(0, "w1", "w5"), move(1, "w2", "w6"), move(2, "w3", "w7"),
                move(3, "w4", "w8"), move(4, "w1", "w6")), 3, 4);

        assertEquals(List.of(1, 2), schedule.startable(0, Set.of()));
    }

    @Test
    void movesRunningAheadCountAgainstTheParallelism() {
        MoveSchedule schedule = new MoveSchedule(chained(move(0, "w1", "w5"), move(1, "w2", "w6"), move(2, "w3", "w7"),
                move(3, "w4", "w8"), move(4, "w1", "w6")), 3, 4);

        assertEquals(List.of(3), schedule.startable(1, Set.of(1, 2)));
        assertEquals(List.of(), schedule.startable(1, Set.of(2, 3)));
    }

    @Test
    void theNodeCapHoldsBackMovesIntoABusyNodeButNotTheOthers() {
        MoveSchedule schedule = new MoveSchedule(chained(move(0, "w1", "w9"), move(1, "w2", "w9"), move(2, "w3", "w9"),
                move(3, "w4", "w8"), move(4, "w5", "w9")), 4, 2);

        assertEquals(List.of(1, 3), schedule.startable(0, Set.of()));
        // w9 is free again once move 1 is the current one and move 0 committed
        assertEquals(List.of(2), schedule.startable(1, Set.of(1, 3)));
    }

    @Test
    void anUncommittedStepOtherThanAMoveHoldsBackWhatFollowsItInTheChain() {
        CreateReplica replica = new CreateReplica(new PartitionUnit(List.of("orders"), 7), "w6", "w1");
        MoveSchedule schedule = new MoveSchedule(chained(move(0, "w1", "w5"), replica, move(1, "w2", "w6"), move(2, "w3", "w7")), 4, 4);

        assertEquals(List.of(), schedule.startable(0, Set.of()));
    }

    @Test
    void aCommittedStepOtherThanAMoveHoldsNothingBack() {
        CreateReplica replica = new CreateReplica(new PartitionUnit(List.of("orders"), 7), "w6", "w1");
        MoveSchedule schedule = new MoveSchedule(chained(replica, move(0, "w1", "w5"), move(1, "w2", "w6"), move(2, "w3", "w7")), 4, 4);

        assertEquals(List.of(2, 3), schedule.startable(1, Set.of()));
    }

    @Test
    void aMoveThatDependsOnAnotherUncommittedStepWaitsWhileItsNeighboursStart() {
        CreateReplica replica = new CreateReplica(new PartitionUnit(List.of("orders"), 7), "w6", "w1");
        List<PlannedStep> steps = new ArrayList<>(chained(move(0, "w1", "w5"), move(1, "w2", "w6")));
        steps.add(new PlannedStep(replica, List.of()));
        // move 2 waits for the replica step; move 3 depends only on move 1 (not through move 2)
        steps.add(new PlannedStep(move(2, "w3", "w7"), List.of(move(1, "w2", "w6").id(), replica.id())));
        steps.add(new PlannedStep(move(3, "w4", "w8"), List.of(move(1, "w2", "w6").id())));
        MoveSchedule schedule = new MoveSchedule(steps, 4, 4);

        assertEquals(List.of(1, 4), schedule.startable(0, Set.of()));
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MoveSchedule(List.of(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MoveSchedule(List.of(), 1, 0));
    }
}
