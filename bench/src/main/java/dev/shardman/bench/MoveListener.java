package dev.shardman.bench;

import dev.shardman.applier.execute.ApplyListener;
import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.planner.Plan;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Confirms the plan only if its data moves are exactly the expected ones; prints each step and each move
 * phase as it starts (with the time since the listener was made) and keeps the phases' start times and
 * the move's report, so the benchmark can say in which phase the writer's longest gap fell.
 */
final class MoveListener implements ApplyListener {
    /** A phase of a move and when it was first reported ({@link System#nanoTime()}). */
    record PhaseStart(long at, String phase) {
    }

    private final List<String> expectedMoves;
    private final long origin = System.nanoTime();
    private final List<PhaseStart> phases = new ArrayList<>();
    private Optional<MoveReport> report = Optional.empty();
    private long lastProgressLine;

    /** {@code expectedMoves}: the ids of the data-moving steps the plan must have, in order (none: an empty list). */
    MoveListener(List<String> expectedMoves) {
        this.expectedMoves = List.copyOf(expectedMoves);
    }

    List<PhaseStart> phases() {
        return List.copyOf(phases);
    }

    Optional<MoveReport> report() {
        return report;
    }

    /** The phase in effect at {@code at} ("before the move" or "after the move" outside it). */
    String phaseAt(long at) {
        String phase = "before the move";
        for (PhaseStart start : phases) {
            if (start.at() <= at) {
                phase = start.phase();
            }
        }
        return phase;
    }

    /** "cutover" or "cutover → verify": the phases in effect when {@code gap} started and when it ended. */
    String phasesDuring(PacedWriter.Gap gap) {
        String started = phaseAt(gap.startedAt());
        String ended = phaseAt(gap.endedAt());
        return started.equals(ended) ? ended : started + " → " + ended;
    }

    /** From the move's first event to its report ({@link System#nanoTime()}); empty window (0, -1) when no move ran. */
    long[] moveWindow() {
        if (phases.isEmpty()) {
            return new long[] {0, -1};
        }
        return new long[] {phases.get(0).at(), phases.get(phases.size() - 1).at()};
    }

    /** From the cutover's first event to the move's report: the source's write fence and every switch after it. */
    long[] switchWindow() {
        long start = phases.stream().filter(phase -> phase.phase().equals("cutover")).mapToLong(PhaseStart::at).findFirst().orElse(0);
        return start == 0 ? new long[] {0, -1} : new long[] {start, moveWindow()[1]};
    }

    @Override
    public void recovered(List<String> fixed) {
        fixed.forEach(line -> System.out.println("  recovered: " + line));
    }

    @Override
    public boolean confirm(Plan plan) {
        List<String> moves = plan.steps().stream().map(PlannedStep::step).filter(Step::movesData).map(step -> step.id().value()).toList();
        System.out.println("  plan: " + plan.steps().stream().map(step -> step.id().value()).toList());
        if (!moves.equals(expectedMoves)) {
            throw new IllegalStateException("the plan's data moves are " + moves + ", the benchmark expected " + expectedMoves);
        }
        return true;
    }

    @Override
    public void stepDone(Step step, Duration took) {
        System.out.printf("  %s %d ms %s%n", since(System.nanoTime()), took.toMillis(), step.describe());
    }

    @Override
    public void stepFailed(Step step, String message) {
        System.out.printf("  %s FAILED %s: %s%n", since(System.nanoTime()), step.describe(), message);
    }

    @Override
    public void progress(String line) {
        System.out.println("  " + since(System.nanoTime()) + " " + line);
    }

    @Override
    public void moveProgress(MoveProgress progress) {
        long now = System.nanoTime();
        boolean newPhase = phases.isEmpty() || !phases.get(phases.size() - 1).phase().equals(progress.phase());
        if (newPhase) {
            phases.add(new PhaseStart(now, progress.phase()));
        }
        if (newPhase || now - lastProgressLine >= Duration.ofSeconds(10).toNanos()) {
            lastProgressLine = now;
            System.out.printf("  %s %s %s %d of %d MiB%s%n", since(now), progress.stepId(), progress.phase(), progress.bytesCopied() >> 20,
                    progress.bytesTotal() >> 20, progress.eta().map(eta -> ", ETA " + eta.toSeconds() + " s").orElse(""));
        }
    }

    @Override
    public void moveDone(MoveReport done) {
        phases.add(new PhaseStart(System.nanoTime(), "after the move"));
        report = Optional.of(done);
        System.out.printf("  %s move done: %d rows, %d bytes, copy %d ms, write fence %d ms%n", since(System.nanoTime()), done.rows(), done.bytes(),
                done.copy().toMillis(), done.writeFence().toMillis());
    }

    @Override
    public void notAttempted(Step step) {
        System.out.println("  not attempted: " + step.describe());
    }

    private String since(long at) {
        return String.format("+%.1f s", (at - origin) / 1e9);
    }
}
