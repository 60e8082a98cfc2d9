package dev.shardman.bench;

import dev.shardman.applier.execute.ApplyListener;
import dev.shardman.planner.Plan;
import dev.shardman.planner.step.Step;

import java.time.Duration;
import java.util.List;

/** The benchmarks' apply listener: confirms every plan, reports nothing (each step's time with BENCH_STEP_TIMES set). */
public final class AutoApprove implements ApplyListener {
    @Override
    public void recovered(List<String> fixed) {
    }

    @Override
    public boolean confirm(Plan plan) {
        return true;
    }

    @Override
    public void stepDone(Step step, Duration took) {
        if (System.getenv("BENCH_STEP_TIMES") != null) {
            System.out.printf("  %5d ms %s%n", took.toMillis(), step.describe());
        }
    }

    @Override
    public void stepFailed(Step step, String message) {
    }

    @Override
    public void notAttempted(Step step) {
    }
}
