package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.planner.Plan;
import dev.shardman.planner.step.Step;

import java.time.Duration;
import java.util.List;

/** What apply tells its caller as it goes (the CLI prints it); the engine itself never prints. */
public interface ApplyListener {
    /** Lines of what recovery fixed before planning (empty: the nodes were consistent). */
    void recovered(List<String> fixed);

    /** The plan is ready and not empty: show it and return whether to go on. */
    boolean confirm(Plan plan);

    /**
     * The plan and the work an interrupted run left (done after the confirmation, before the steps) are ready, one of them
     * not empty: show both and return whether to go on. By default only the plan is shown.
     */
    default boolean confirm(Plan plan, PendingRecovery pending) {
        return confirm(plan);
    }

    void stepDone(Step step, Duration took);

    void stepFailed(Step step, String message);

    /** A progress line of a long wait (initial sync of new replicas), one per change. */
    default void progress(String line) {
    }

    /** Where a data move stands (several times a second at most); the CLI draws a progress bar from it. */
    default void moveProgress(MoveProgress progress) {
    }

    /** A data move finished: rows, bytes, copy time and write-fence time. */
    default void moveDone(MoveReport report) {
    }

    /** A line to print loudly, after the step it concerns (e.g. the partitions re-created empty: their rows are lost). */
    default void warning(String line) {
        progress("WARNING: " + line);
    }

    /** A step after a failed one: reported, not run. */
    void notAttempted(Step step);
}
