package dev.shardman.applier.execute;

import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PartitionUnit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicaWavesTest {
    private static StepExecutor replica(String table, int index, String from, String to, String primary) {
        return new MoveReplicaExecutor(new MoveReplica(new PartitionUnit(List.of(table), index), from, to, primary));
    }

    private static StepExecutor primary(int index, String from, String to) {
        return new MovePrimaryExecutor(new MovePrimary(new PartitionUnit(List.of("orders"), index), from, to), 1, 1);
    }

    @Test
    void consecutiveReplicaMovesFormAWaveUpToTheParallelism() {
        List<StepExecutor> steps = List.of(replica("a", 0, "w1", "w9", "w2"), replica("a", 1, "w3", "w9", "w4"), replica("a", 2, "w5", "w9", "w6"),
                replica("a", 3, "w7", "w9", "w8"));

        assertEquals(List.of(0, 1, 2), ReplicaWaves.wave(steps, 0, 3, 4));
        assertEquals(List.of(2, 3), ReplicaWaves.wave(steps, 2, 3, 4));
    }

    @Test
    void aWaveEndsAtAnotherStepAtASecondMoveOfAUnitAndAtTheNodeCap() {
        List<StepExecutor> otherStep = List.of(replica("a", 0, "w1", "w9", "w2"), primary(5, "w3", "w9"), replica("a", 1, "w3", "w9", "w4"));
        assertEquals(List.of(0), ReplicaWaves.wave(otherStep, 0, 4, 4));

        List<StepExecutor> sameUnit = List.of(replica("a", 0, "w1", "w9", "w2"), replica("a", 0, "w3", "w8", "w2"));
        assertEquals(List.of(0), ReplicaWaves.wave(sameUnit, 0, 4, 4));

        // w9 receives two copies at most; the third move into it ends the wave (its moves run in plan order)
        List<StepExecutor> busy = List.of(replica("a", 0, "w1", "w9", "w2"), replica("a", 1, "w3", "w9", "w4"), replica("a", 2, "w5", "w9", "w6"),
                replica("a", 3, "w7", "w8", "w6"));
        assertEquals(List.of(0, 1), ReplicaWaves.wave(busy, 0, 4, 2));
        // and so does a primary sending its third copy
        List<StepExecutor> busyPrimary = List.of(replica("a", 0, "w1", "w7", "w2"), replica("b", 0, "w3", "w8", "w2"), replica("c", 0, "w5", "w9", "w2"));
        assertEquals(List.of(0, 1), ReplicaWaves.wave(busyPrimary, 0, 4, 2));
    }

    @Test
    void parallelismOneMakesNothingAhead() {
        List<StepExecutor> steps = List.of(replica("a", 0, "w1", "w9", "w2"), replica("a", 1, "w3", "w9", "w4"));
        ReplicaWaves none = ReplicaWaves.none(steps);
        none.startWave(0, null);
        assertEquals(steps.get(0), none.executor(0), "parallelism 1: nothing is made ahead");
    }
}
