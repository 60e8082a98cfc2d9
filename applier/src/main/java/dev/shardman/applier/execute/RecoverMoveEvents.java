package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveEvents;
import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** recover's moves: notices and reports become lines of recover's output ({@code lines}); progress is not shown. */
record RecoverMoveEvents(List<String> lines, FaultHook faults) implements MoveEvents {
    RecoverMoveEvents {
        requireNonNull(lines, "lines is null");
        requireNonNull(faults, "faults is null");
    }

    @Override
    public void progress(MoveProgress progress) {
    }

    @Override
    public void done(MoveReport report) {
        lines.add("moved " + report.describe() + ": " + report.rows() + " rows, " + report.bytes() + " bytes, write fence "
                + report.writeFence().toMillis() + " ms");
    }

    @Override
    public void notice(String line) {
        lines.add(line);
    }

    @Override
    public void faultPoint(String stepId, String point) {
        faults.at(stepId, point);
    }
}
