package dev.shardman.cli.render;

import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.planner.Plan;
import dev.shardman.planner.graph.PlannedStep;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Shows the running data move and, after each, its result line. On a terminal one line is redrawn in
 * place (carriage return, padded over the previous text) at most every {@link #TERMINAL_INTERVAL}; in a
 * log ({@code terminal} false) a plain line at most every {@link #PLAIN_INTERVAL}. Either way a new move
 * or a new phase is shown at once. Every other line of the apply goes through {@link #clear()} first, so
 * that it never lands in the middle of a bar.
 *
 * <p>With several moves running at once ({@code apply --parallelism}): on a terminal the one line lists every running move
 * ({@link MoveProgressLines#several}); in a log each move gets its lines as above, throttled move by move.
 *
 * <p>Not thread-safe: the apply hands it one event at a time.
 */
public final class MoveProgressDisplay {
    public static final Duration TERMINAL_INTERVAL = Duration.ofMillis(200);
    public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean color;
    private final LongSupplier nanoTime;
    private final Map<String, MoveLabel> labels = new HashMap<>();
    private final ProgressThrottle throttle;
    /** The last event of each move running now (shown in the terminal's line), in the order they started. */
    private final Map<String, MoveProgress> running = new LinkedHashMap<>();
    /** A log's throttle, move by move. */
    private final Map<String, ProgressThrottle> throttles = new HashMap<>();
    /** Columns of the bar now on the screen (terminal only; 0: none). */
    private int drawnColumns;

    public MoveProgressDisplay(PrintWriter out, boolean terminal, boolean color, LongSupplier nanoTime) {
        this.out = requireNonNull(out, "out is null");
        this.terminal = terminal;
        this.color = color && terminal;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.throttle = new ProgressThrottle(terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL);
    }

    /** Learns how to name the plan's moves (the events carry only the step id). */
    public void plan(Plan plan) {
        for (PlannedStep planned : plan.steps()) {
            MoveLabel.of(planned.step()).ifPresent(label -> labels.put(planned.id().value(), label));
        }
    }

    public void progress(MoveProgress progress) {
        running.put(progress.stepId(), progress);
        if (!terminal) {
            plain(progress);
            return;
        }
        if (running.size() > 1) {
            several();
            return;
        }
        if (!throttle.shouldShow(progress.stepId(), progress.phase(), nanoTime.getAsLong())) {
            return;
        }
        MoveLabel label = label(progress.stepId(), progress.describe());
        if (terminal) {
            String line = MoveProgressLines.terminal(progress, label, color);
            int columns = MoveProgressLines.terminal(progress, label, false).length();
            out.print("\r" + line + " ".repeat(Math.max(0, drawnColumns - columns)));
            drawnColumns = columns;
        } else {
            out.println(MoveProgressLines.plain(progress, label));
        }
        out.flush();
    }

    /** A log's line of {@code progress}, throttled move by move (several may run at once). */
    private void plain(MoveProgress progress) {
        if (throttles.computeIfAbsent(progress.stepId(), step -> new ProgressThrottle(PLAIN_INTERVAL))
                .shouldShow(progress.stepId(), progress.phase(), nanoTime.getAsLong())) {
            out.println(MoveProgressLines.plain(progress, label(progress.stepId(), progress.describe())));
            out.flush();
        }
    }

    /** Several moves run: the terminal's one line lists them all. */
    private void several() {
        String phases = running.values().stream().map(MoveProgress::phase).reduce("", String::concat);
        if (!throttle.shouldShow("several " + running.keySet(), phases, nanoTime.getAsLong())) {
            return;
        }
        String line = MoveProgressLines.several(List.copyOf(running.values()));
        out.print("\r" + line + " ".repeat(Math.max(0, drawnColumns - line.length())));
        drawnColumns = line.length();
        out.flush();
    }

    public void done(MoveReport report) {
        running.remove(report.stepId());
        throttles.remove(report.stepId());
        clear();
        out.println(MoveProgressLines.done(report, label(report.stepId(), report.describe()), color));
        out.flush();
        throttle.reset();
    }

    /** Erases the bar, if one is drawn, and leaves the cursor at the start of the line. */
    public void clear() {
        if (drawnColumns > 0) {
            out.print("\r" + " ".repeat(drawnColumns) + "\r");
            out.flush();
            drawnColumns = 0;
            // The bar is gone: the next event must draw it again whatever the interval.
            throttle.reset();
        }
    }

    private MoveLabel label(String stepId, String describe) {
        return labels.getOrDefault(stepId, MoveLabel.described(describe));
    }
}
