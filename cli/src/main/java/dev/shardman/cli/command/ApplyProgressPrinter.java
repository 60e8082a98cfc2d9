package dev.shardman.cli.command;

import dev.shardman.applier.execute.ApplyListener;
import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.applier.execute.PendingRecovery;
import dev.shardman.cli.render.InterruptedWorkView;
import dev.shardman.cli.render.MoveProgressDisplay;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.step.Step;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints an apply as it goes (the interrupted work and the plan, then {@code ✓ <step> (0.4 s)} per step, {@code ✗} for the
 * failed one and "not attempted (upstream failed)" for the rest) and asks for {@code yes} on the
 * terminal unless auto-approved ({@link Terminal}); without one it refuses. A data move shows a progress bar while it
 * runs (plain lines every few seconds without a terminal) and a line with its figures when it is done
 * ({@link MoveProgressDisplay}).
 */
final class ApplyProgressPrinter implements ApplyListener {
    static final String PROMPT = "Do you want to apply this plan? Only 'yes' will be accepted: ";

    private final PrintWriter out;
    private final Terminal terminal;
    private final boolean autoApprove;
    private final boolean color;
    private final MoveProgressDisplay moves;

    ApplyProgressPrinter(PrintWriter out, Terminal terminal, boolean autoApprove, boolean color) {
        this.out = out;
        this.terminal = terminal;
        this.autoApprove = autoApprove;
        this.color = color;
        this.moves = new MoveProgressDisplay(out, terminal.interactive(), color, System::nanoTime);
    }

    @Override
    public void recovered(List<String> fixed) {
        if (!fixed.isEmpty()) {
            out.println("Recovery first (what an earlier run left unfinished):");
            fixed.forEach(line -> out.println("  " + line));
            out.println();
        }
    }

    @Override
    public boolean confirm(Plan plan) {
        return confirm(plan, PendingRecovery.none(ClusterState.empty()));
    }

    /** Shows the interrupted work and the plan, then asks (nothing has changed yet but decided prepared transactions). */
    @Override
    public boolean confirm(Plan plan, PendingRecovery pending) {
        moves.plan(plan);
        out.print(InterruptedWorkView.text(plan, pending, color));
        out.println();
        out.flush();
        if (autoApprove) {
            return true;
        }
        if (!terminal.canAsk()) {
            throw new ShardmanException(ErrorCode.REFUSED, "apply needs a confirmation and there is no terminal to ask on; nothing was changed",
                    "pass --auto-approve to apply without asking (review the plan with shardman plan first)");
        }
        return terminal.ask(PROMPT, out).map(answer -> answer.trim().equals("yes")).orElse(false);
    }

    @Override
    public void stepDone(Step step, Duration took) {
        moves.clear();
        out.println("✓ " + step.describe() + String.format(Locale.ROOT, " (%.1f s)", took.toMillis() / 1000.0));
        out.flush();
    }

    @Override
    public void stepFailed(Step step, String message) {
        moves.clear();
        out.println("✗ " + step.describe() + ": " + message);
        out.flush();
    }

    @Override
    public void progress(String line) {
        moves.clear();
        out.println("… " + line);
        out.flush();
    }

    @Override
    public void warning(String line) {
        moves.clear();
        out.println("⚠ WARNING: " + line);
        out.flush();
    }

    @Override
    public void moveProgress(MoveProgress progress) {
        moves.progress(progress);
    }

    @Override
    public void moveDone(MoveReport report) {
        moves.done(report);
    }

    @Override
    public void notAttempted(Step step) {
        moves.clear();
        out.println("  " + step.describe() + ": not attempted (upstream failed)");
        out.flush();
    }
}
