package dev.shardman.applier.execute;

import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class StepExecutorsTest {
    private static PartitionUnit unit(int index) {
        return new PartitionUnit(List.of("orders"), index);
    }

    @Test
    void primaryMovesAreNumberedAmongThePlansPrimaryMovesAndOtherKindsGetTheirOwnExecutor() {
        List<Step> steps = List.of(new MovePrimary(unit(0), "w1", "w2"), new DropReplica(unit(1), "w3", "w1"),
                new MovePrimary(unit(2), "w1", "w3"), new MovePrimary(unit(3), "w2", "w3"));
        List<StepExecutor> executors = StepExecutors.forSteps(steps);
        assertEquals(4, executors.size());
        assertInstanceOf(CatalogStepExecutor.class, executors.get(1));
        List<String> numbers = List.of(executors.get(0), executors.get(2), executors.get(3)).stream()
                .map(executor -> (MovePrimaryExecutor) executor).map(move -> move.unit() + "/" + move.units()).toList();
        assertEquals(List.of("1/3", "2/3", "3/3"), numbers);
        for (int index = 0; index < steps.size(); index++) {
            assertEquals(steps.get(index), executors.get(index).step());
        }
    }
}
