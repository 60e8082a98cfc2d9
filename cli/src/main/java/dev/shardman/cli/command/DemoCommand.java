package dev.shardman.cli.command;

import dev.shardman.cli.render.DiagnosticsReport;
import dev.shardman.cli.render.LocalClusterReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.UpResult;
import dev.shardman.model.spec.SpecLoader;
import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.ApplyResult;
import dev.shardman.applier.execute.StatusReport;
import dev.shardman.cli.render.StatusView;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.planner.PlanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code shardman demo}: the README's run command. Brings the local cluster up (reusing it when it
 * runs), validates the example spec, applies it whole (auto-approved: replicas and the shared table
 * included, waiting for the replicas' initial copy), loads sample rows through the first node once, shows the status and answers a few queries
 * through the last node. Idempotent: a second run reuses the cluster, applies nothing and loads nothing.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the local cluster, apply examples/cluster.yaml, load sample rows and query them (idempotent).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "examples/cluster.yaml",
            description = "The spec to use (default: ${DEFAULT-VALUE}).")
    Path file;

    @Mixin
    LocalDirectoryOption directory;

    @Option(names = "--no-local", description = "Do not start the local cluster: use the servers the spec names (your own).")
    boolean noLocal;

    @Option(names = "--no-color", description = "Never colour the output (also: NO_COLOR=1).")
    boolean noColor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("== 1. Local cluster");
        if (noLocal) {
            out.println("Skipped (--no-local): using the servers that " + file + " names.");
        } else {
            UpResult cluster = new LocalCluster().up(LocalClusterConfig.defaults(directory.directory()));
            LocalClusterReport.printUp(cluster, out);
        }

        out.println();
        out.println("== 2. Validate " + file);
        DiagnosticsReport report = DiagnosticsReport.of(file.toString(), SpecLoader.load(file, System.getenv()));
        report.printText(out, spec.commandLine().getErr());
        if (!report.valid()) {
            return ExitCodes.ERROR;
        }

        ClusterSpec example = report.spec().orElseThrow();
        out.println();
        out.println("== 3. Apply " + file + " (shardman apply -f " + file + " --auto-approve)");
        out.flush();
        ApplyResult result = ApplyEngine.fromEnvironment().apply(example, PlanOptions.DEFAULTS, Optional.empty(),
                new ApplyProgressPrinter(out, Terminal.none(), true, ColorPolicy.fromEnvironment().useColor(noColor)));
        out.println(result.plan().isEmpty() ? "No changes: the cluster already matches the spec (serial " + result.state().serial() + ")."
                : "Apply complete: " + result.stepsDone() + " steps; serial " + result.state().serial() + ".");

        out.println();
        out.println("== 4. Sample rows, written through " + example.nodes().get(0).name());
        DemoWorkload workload = new DemoWorkload();
        workload.load(example, out);

        out.println();
        out.println("== 5. Status (shardman status -f " + file + ")");
        out.print(StatusView.text(StatusReport.read(ConnectionFactory.fromEnvironment(StatusReport.APPLICATION_NAME), example.cluster(),
                example.shardlord(), List.of())));

        out.println();
        out.println("== 6. Queries, answered through " + example.nodes().get(example.nodes().size() - 1).name());
        workload.query(example, out);

        out.println("Next: shardman drift-check -f " + file + " (exit 0 = in sync), shardman status -f " + file + ",");
        out.println("shardman recover -f " + file + "; stop the servers with: shardman local down");
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
