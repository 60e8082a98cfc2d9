package dev.shardman.cli.command;

import dev.shardman.cli.ColorPolicy;
import dev.shardman.cli.ExitCodes;
import dev.shardman.cli.render.DiagnosticsReport;
import dev.shardman.cli.render.LocalClusterReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.UpResult;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.Planner;
import dev.shardman.planner.render.TextPlanRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shardman demo}: the README's run command. Brings the local cluster up (reusing it when it
 * runs), validates the example spec and prints the plan that creates it. Applying the plan comes
 * with the applier.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the local cluster, validate examples/cluster.yaml and show its plan (idempotent).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "examples/cluster.yaml",
            description = "The spec to use (default: ${DEFAULT-VALUE}).")
    Path file;

    @Mixin
    LocalDirectoryOption directory;

    @Option(names = "--no-color", description = "Never colour the output (also: NO_COLOR=1).")
    boolean noColor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("== 1. Local cluster");
        UpResult cluster = new LocalCluster().up(LocalClusterConfig.defaults(directory.directory()));
        LocalClusterReport.printUp(cluster, out);

        out.println();
        out.println("== 2. Validate " + file);
        DiagnosticsReport report = DiagnosticsReport.of(file.toString(), SpecLoader.load(file, System.getenv()));
        report.printText(out, spec.commandLine().getErr());
        if (!report.valid()) {
            return ExitCodes.ERROR;
        }

        out.println();
        out.println("== 3. Plan for a new cluster (shardman plan -f " + file + " --state none)");
        Plan plan = Planner.plan(report.spec().orElseThrow(), ClusterState.empty(), PlanOptions.DEFAULTS);
        out.print(TextPlanRenderer.render(plan, ColorPolicy.fromEnvironment().useColor(noColor)));

        out.println();
        out.println("This version stops here: applying the plan to these servers (plan against the live");
        out.println("metadata, apply, status, drift-check) is not implemented yet. The servers keep running;");
        out.println("stop them with: shardman local down");
        return ExitCodes.SUCCESS;
    }
}
