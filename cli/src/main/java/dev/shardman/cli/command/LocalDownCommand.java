package dev.shardman.cli.command;

import dev.shardman.cli.render.LocalClusterReport;
import dev.shardman.localcluster.DownResult;
import dev.shardman.localcluster.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shardman local down}: stops every server of the local cluster (fast shutdown); data is kept. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop every server of the local cluster (fast shutdown); the data directories are kept.")
public final class LocalDownCommand implements Callable<Integer> {
    @Mixin
    LocalDirectoryOption directory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DownResult result = new LocalCluster().down(directory.directory());
        LocalClusterReport.printDown(result, spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }
}
