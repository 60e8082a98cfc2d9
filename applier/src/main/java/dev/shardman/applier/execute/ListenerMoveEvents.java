package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveEvents;
import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;

import static java.util.Objects.requireNonNull;

/** apply's moves report to its listener (progress bar, report line, notices as progress lines) and crash at its fault points. */
record ListenerMoveEvents(ApplyListener listener, FaultHook faults) implements MoveEvents {
    ListenerMoveEvents {
        requireNonNull(listener, "listener is null");
        requireNonNull(faults, "faults is null");
    }

    @Override
    public void progress(MoveProgress progress) {
        listener.moveProgress(progress);
    }

    @Override
    public void done(MoveReport report) {
        listener.moveDone(report);
    }

    @Override
    public void notice(String line) {
        listener.progress(line);
    }

    @Override
    public void faultPoint(String stepId, String point) {
        faults.at(stepId, point);
    }
}
