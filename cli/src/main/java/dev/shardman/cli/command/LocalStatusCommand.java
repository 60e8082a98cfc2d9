package dev.shardman.cli.command;

import dev.shardman.cli.render.Json;
import dev.shardman.cli.render.LocalClusterReport;
import dev.shardman.localcluster.ClusterStatus;
import dev.shardman.localcluster.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shardman local status}: each server of the local cluster, running or not. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List the servers of the local cluster: name, port, state, pid, version.")
public final class LocalStatusCommand implements Callable<Integer> {
    @Mixin
    LocalDirectoryOption directory;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterStatus status = new LocalCluster().status(directory.directory());
        if (output.json()) {
            spec.commandLine().getOut().println(Json.write(LocalClusterReport.statusJson(status)));
        } else {
            LocalClusterReport.printStatus(status, spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }
}
