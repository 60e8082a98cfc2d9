package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.planner.Plan;
import dev.shardman.planner.step.Step;

import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** A listener told one thing at a time: with moves copying ahead ({@link MovesAhead}) their progress comes from their threads. */
record SerializedListener(ApplyListener listener) implements ApplyListener {
    SerializedListener {
        requireNonNull(listener, "listener is null");
    }

    @Override
    public synchronized void recovered(List<String> fixed) {
        listener.recovered(fixed);
    }

    @Override
    public synchronized boolean confirm(Plan plan) {
        return listener.confirm(plan);
    }

    @Override
    public synchronized boolean confirm(Plan plan, PendingRecovery pending) {
        return listener.confirm(plan, pending);
    }

    @Override
    public synchronized void stepDone(Step step, Duration took) {
        listener.stepDone(step, took);
    }

    @Override
    public synchronized void stepFailed(Step step, String message) {
        listener.stepFailed(step, message);
    }

    @Override
    public synchronized void progress(String line) {
        listener.progress(line);
    }

    @Override
    public synchronized void moveProgress(MoveProgress progress) {
        listener.moveProgress(progress);
    }

    @Override
    public synchronized void moveDone(MoveReport report) {
        listener.moveDone(report);
    }

    @Override
    public synchronized void warning(String line) {
        listener.warning(line);
    }

    @Override
    public synchronized void notAttempted(Step step) {
        listener.notAttempted(step);
    }
}
