package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.ApplyResult;
import dev.shardman.applier.execute.ClientBlockers;
import dev.shardman.applier.execute.MoveParallelism;
import dev.shardman.applier.execute.PlanExpectation;
import dev.shardman.applier.objects.ColumnValuesCheck;
import dev.shardman.cli.render.SavedPlanFile;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.planner.PlanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code shardman apply}: plans against the live metadata, shows the work an interrupted run left and the plan, asks
 * for {@code yes} on a terminal (or takes {@code --auto-approve}), once the nodes have accepted the spec's column types
 * and defaults ({@link ColumnValuesCheck}), then finishes that work and runs the steps one at a time, a line each;
 * answered otherwise, nothing changes (but the prepared transactions whose outcome was decided). With a PLANFILE (from
 * {@code plan --out}) it applies that plan, refusing with exit 4 when it is stale, before any recovery.
 * Exit 0 done (or nothing to do), 1 error or a failed step, 3 the lock is held, 4 stale saved plan.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Bring the live cluster to the shape of the spec (or apply a saved plan), one step at a time; resumable.")
public final class ApplyCommand implements Callable<Integer> {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The cluster spec (default: cluster.yaml, when no PLANFILE).")
    Path file;

    @Parameters(arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved by 'plan --out'.")
    Path planFile;

    @Option(names = "--auto-approve", description = "Do not ask: apply the plan at once (required without a terminal).")
    boolean autoApprove;

    @Option(names = "--allow-destroy", description = "Allow steps that drop tables or columns (their data is lost).")
    boolean allowDestroy;

    @Option(names = "--allow-data-loss", description = "Allow re-creating, empty, a partition whose only copy was on a lost node.")
    boolean allowDataLoss;

    @Option(names = "--no-wait", description = "Do not wait for new replicas to finish their initial copy (status shows it).")
    boolean noWait;

    @Option(names = "--cancel-blockers", description = "Terminate the client sessions whose locks keep a failover (a node marked lost), or a step "
            + "that already ran out of one lock wait, from its work; without it apply fails after --lock-wait naming them.")
    boolean cancelBlockers;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long a failover (or a step that ran out of one lock wait) retries against client sessions holding "
                    + "the locks it needs before it fails naming them, e.g. 10s or 5m (default: ${DEFAULT-VALUE}).")
    Duration lockWait;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "1", description = "Run up to N moves at once: later primary moves "
            + "copy and catch up while earlier ones cut over and commit, one at a time and in plan order; consecutive replica moves "
            + "make their new copies together (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--max-moves-per-node", paramLabel = "N", defaultValue = "" + MoveParallelism.DEFAULT_PER_NODE,
            description = "With --parallelism: at most N of the moves running at once have one node as source or destination "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxMovesPerNode;

    @Option(names = "--no-color", description = "Never colour the output (also: NO_COLOR=1).")
    boolean noColor;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    public ApplyCommand() {
        this(Terminal.system());
    }

    /** With the confirmation asked on {@code terminal} (tests give the answers an operator would type). */
    public ApplyCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MoveParallelism moves = new MoveParallelism(parallelism, maxMovesPerNode); // refused before anything is read
        if (planFile != null && file != null) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "give either -f FILE or a PLANFILE, not both", "");
        }
        Optional<PlanExpectation> expectation = Optional.empty();
        ClusterSpec clusterSpec;
        if (planFile != null) {
            SavedPlanFile.Saved saved = SavedPlanFile.read(planFile);
            clusterSpec = SpecInput.load(saved.specFile(), err);
            expectation = Optional.of(new PlanExpectation(saved.header(), saved.stepIds(), saved.descriptions()));
        } else {
            clusterSpec = SpecInput.load(file == null ? Path.of("cluster.yaml") : file, err);
        }
        // one memory of unreachable nodes for every read before the question, this check's included
        ConnectionFactory reviewing = ConnectionFactory.fromEnvironment(ApplyEngine.APPLICATION_NAME)
                .withNodeTimeout(clusterSpec.settings().nodeTimeout()).rememberingUnreachable();
        ColumnValuesCheck.refuseInvalid(reviewing, clusterSpec);
        ApplyEngine engine = (noWait ? ApplyEngine.fromEnvironment().withoutInitialSyncWait() : ApplyEngine.fromEnvironment())
                .withReviewSessions(reviewing);
        engine = engine.withClientBlockers(new ClientBlockers(cancelBlockers, lockWait)).withMoveParallelism(moves);
        ApplyResult result = engine
                .apply(clusterSpec, new PlanOptions(allowDestroy, allowDataLoss), expectation,
                        new ApplyProgressPrinter(out, terminal, autoApprove, ColorPolicy.fromEnvironment().useColor(noColor)));
        if (result.declined()) {
            out.println("Apply cancelled; nothing was changed.");
        } else if (result.plan().isEmpty()) {
            out.println("No changes. The cluster matches the spec (serial " + result.state().serial() + ").");
            // e.g. a node the monitor failed over that the spec still lists: shown where there is no plan to show it in
            result.plan().warnings().forEach(warning -> out.println("Warning: " + warning + "."));
        } else {
            out.println();
            out.println("Apply complete: " + result.stepsDone() + (result.stepsDone() == 1 ? " step" : " steps")
                    + " done; the cluster is at serial " + result.state().serial() + ".");
        }
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
