package dev.shardman.applier.failover;

import dev.shardman.applier.execute.ApplyListener;
import dev.shardman.planner.Plan;
import dev.shardman.planner.step.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Apply's listener when nobody watches: it confirms the plan only while the node is still unreachable (asked under the
 * cluster lock, before anything but decided two-phase transactions has changed) and keeps what happened for the outcome.
 */
final class UnattendedFailover implements ApplyListener {
    private final BooleanSupplier stillUnreachable;
    private final List<String> stepsDone = new ArrayList<>();
    private Optional<String> failure = Optional.empty();

    UnattendedFailover(BooleanSupplier stillUnreachable) {
        this.stillUnreachable = stillUnreachable;
    }

    @Override
    public void recovered(List<String> fixed) {
    }

    @Override
    public boolean confirm(Plan plan) {
        return stillUnreachable.getAsBoolean();
    }

    @Override
    public void stepDone(Step step, Duration took) {
        stepsDone.add(step.describe());
    }

    @Override
    public void stepFailed(Step step, String message) {
        failure = Optional.of(step.id().value() + ": " + message);
    }

    @Override
    public void notAttempted(Step step) {
    }

    List<String> stepsDone() {
        return List.copyOf(stepsDone);
    }

    Optional<String> failure() {
        return failure;
    }
}
