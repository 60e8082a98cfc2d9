package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.GrantRoles;
import dev.shardman.applier.execute.LiveMetadata;
import dev.shardman.applier.execute.LivePlan;
import dev.shardman.applier.execute.PendingRecovery;
import dev.shardman.applier.execute.PlanPreflight;
import dev.shardman.applier.objects.ColumnValuesCheck;
import dev.shardman.cli.render.DiagnosticsReport;
import dev.shardman.cli.render.InterruptedWorkView;
import dev.shardman.cli.render.SavedPlanFile;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.SpecLoadResult;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.StateSnapshots;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.render.DotPlanWriter;
import dev.shardman.planner.render.JsonPlanWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shardman plan}: the ordered steps that take the cluster from its metadata state to the
 * spec, for review. Without {@code --state} it reads the live shardlord (read-only: it never migrates
 * or writes; no {@code shardman} schema = a new cluster) and plans the spec as apply would, after the nodes have
 * accepted the spec's column types and defaults ({@link ColumnValuesCheck}) and shown that they have the roles of
 * tables' {@code grants} ({@link GrantRoles}): the work an interrupted run left first
 * (read from the nodes, {@code interrupted_work} in JSON), then the steps from the state it leads to, checked against
 * the nodes' servers ({@link PlanPreflight}: refusals, warnings); with
 * {@code --state} it reads only files.
 * {@code --graph} writes the plan's step graph as Graphviz DOT ({@link DotPlanWriter}).
 * Exit 0 on success; with {@code --detailed-exitcode} (as terraform's) 0 = no changes, 2 = changes (or interrupted work).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show the ordered steps that would bring the cluster to the shape of the spec.")
public final class PlanCommand implements Callable<Integer> {
    /** The {@code --state} value that means a new cluster with no metadata yet. */
    static final String NO_STATE = "none";
    /** The {@code --graph} value that means standard output. */
    private static final String STDOUT = "-";

    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Plan from this state snapshot (YAML or JSON, as written by --out-state);"
                    + " 'none' or an empty file means a new cluster. Without it: the live shardlord's metadata.")
    String state;

    @Option(names = "--out-state", paramLabel = "NEXT",
            description = "Write the state the plan leads to (.json for JSON, else YAML), to simulate changes offline.")
    Path outState;

    @Option(names = "--out", paramLabel = "PLANFILE",
            description = "Save the plan, with the spec it was made from, for a later 'apply PLANFILE'.")
    Path out;

    @Option(names = "--graph", paramLabel = "FILE",
            description = "Write the plan's step graph as Graphviz DOT to FILE ('-': to standard output, instead of the plan text).")
    String graph;

    @Option(names = "--detailed-exitcode",
            description = "Exit 2 when the plan has changes, 0 when it has none (1 stays: error).")
    boolean detailedExitCode;

    @Option(names = "--allow-destroy",
            description = "Allow steps that drop tables or columns (their data is lost).")
    boolean allowDestroy;

    @Option(names = "--allow-data-loss",
            description = "Allow re-creating, empty, a partition whose only copy was on a lost node.")
    boolean allowDataLoss;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SpecLoadResult loaded = SpecLoader.load(specFile.file(), System.getenv());
        if (loaded.spec().isEmpty() || !loaded.diagnostics().isEmpty()) {
            DiagnosticsReport report = DiagnosticsReport.of(specFile.file().toString(), loaded);
            loaded.diagnostics().forEach(spec.commandLine().getErr()::println);
            if (!report.valid()) {
                spec.commandLine().getErr().println(specFile.file() + ": invalid; nothing was planned.");
                return ExitCodes.ERROR;
            }
        }
        ClusterSpec clusterSpec = loaded.spec().orElseThrow();
        PlanOptions options = new PlanOptions(allowDestroy, allowDataLoss);
        // live: what an interrupted run left is shown too (apply does it after its confirmation), the plan made from where it leads
        PendingRecovery pending;
        Plan plan;
        ClusterState startState;
        if (state == null) {
            // each read below visits every node: a hung one costs one connect timeout, not one per read
            ConnectionFactory connections = ConnectionFactory.fromEnvironment(LiveMetadata.APPLICATION_NAME)
                    .withNodeTimeout(clusterSpec.settings().nodeTimeout()).rememberingUnreachable();
            ColumnValuesCheck.refuseInvalid(connections, clusterSpec);
            GrantRoles.requireRoles(connections, clusterSpec);
            LivePlan live = LivePlan.read(connections, clusterSpec, options);
            pending = live.pending();
            plan = PlanPreflight.check(connections, clusterSpec, pending.stateAfter(), live.plan());
            startState = live.plannedFrom();
        } else {
            pending = PendingRecovery.none(readState());
            plan = Planner.plan(clusterSpec, pending.stateAfter(), options);
            startState = pending.stateAfter();
        }

        PrintWriter stdout = spec.commandLine().getOut();
        if (STDOUT.equals(graph)) {
            stdout.print(DotPlanWriter.write(plan));
        } else if (output.json()) {
            stdout.print(state == null ? JsonPlanWriter.write(plan, InterruptedWorkView.json(pending)) : JsonPlanWriter.write(plan));
        } else {
            stdout.print(InterruptedWorkView.text(plan, pending, output.useColor()));
        }
        stdout.flush();
        if (outState != null) {
            StateSnapshots.write(StateProjection.project(startState, plan), outState);
        }
        if (out != null) {
            SavedPlanFile.write(out, clusterSpec, plan);
        }
        if (graph != null && !STDOUT.equals(graph)) {
            writeGraph(Path.of(graph), plan);
        }
        return detailedExitCode && !(plan.isEmpty() && pending.isEmpty()) ? ExitCodes.CHANGES_PENDING : ExitCodes.SUCCESS;
    }

    private static void writeGraph(Path file, Plan plan) {
        try {
            Files.writeString(file, DotPlanWriter.write(plan), StandardCharsets.UTF_8);
        } catch (IOException exception) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "cannot write the plan graph " + file + ": " + exception.getMessage(), "", exception);
        }
    }

    private ClusterState readState() {
        if (state.equals(NO_STATE)) {
            return ClusterState.empty();
        }
        Path file = Path.of(state);
        try {
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).isBlank()) {
                return ClusterState.empty();
            }
        } catch (IOException exception) {
            // StateSnapshots.read reports unreadable files with the path and the reason.
        }
        return StateSnapshots.read(file);
    }
}
