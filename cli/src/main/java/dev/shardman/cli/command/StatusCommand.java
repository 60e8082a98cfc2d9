package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.StatusReport;
import dev.shardman.cli.render.StatusView;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shardman status}: nodes, tables, partitions per node, serial, lock holder, last apply. Read-only, no lock. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the cluster as its metadata records it, and whether the nodes answer.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        StatusReport report = StatusReport.read(ConnectionFactory.fromEnvironment(StatusReport.APPLICATION_NAME).withNodeTimeout(clusterSpec.settings().nodeTimeout()), clusterSpec.cluster(),
                clusterSpec.shardlord(), List.of());
        out.print(output.json() ? StatusView.json(report) : StatusView.text(report));
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
