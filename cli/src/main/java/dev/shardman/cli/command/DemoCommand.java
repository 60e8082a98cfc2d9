package dev.shardman.cli.command;

import dev.shardman.cli.ExitCodes;
import dev.shardman.cli.render.DiagnosticsReport;
import dev.shardman.cli.render.LocalClusterReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.UpResult;
import dev.shardman.model.spec.SpecLoader;
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
 * runs) and validates the example spec against it. Applying the spec comes with the applier.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the local cluster and validate examples/cluster.yaml for it (idempotent).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "examples/cluster.yaml",
            description = "The spec to use (default: ${DEFAULT-VALUE}).")
    Path file;

    @Mixin
    LocalDirectoryOption directory;

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
        out.println("This version stops here: applying the spec to these servers (plan against the live");
        out.println("metadata, apply, status, drift-check) is not implemented yet. The servers keep running;");
        out.println("stop them with: shardman local down");
        return ExitCodes.SUCCESS;
    }
}
