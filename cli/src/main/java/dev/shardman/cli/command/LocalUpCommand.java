package dev.shardman.cli.command;

import dev.shardman.cli.render.Json;
import dev.shardman.cli.render.LocalClusterReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.UpResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code shardman local up}: starts (creating on first use) a shardlord and N workers that keep
 * running after the command exits; when they already run it says so and changes nothing. More workers than the
 * directory holds grow the cluster (the new ones on the next ports, printed as spec entries); fewer are refused.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local cluster (idempotent); the servers keep running after the command exits.")
public final class LocalUpCommand implements Callable<Integer> {
    @Mixin
    LocalDirectoryOption directory;

    @Mixin
    OutputOptions output;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "3",
            description = "Number of worker servers (default: ${DEFAULT-VALUE}); more than a running cluster has adds workers "
                    + "on the next ports, fewer is refused.")
    int workers;

    @Option(names = "--pg-version", paramLabel = "V", defaultValue = "17",
            description = "PostgreSQL major version: 15, 16, 17 or 18 (default: ${DEFAULT-VALUE}).")
    int postgresMajor;

    @Option(names = "--base-port", paramLabel = "P", defaultValue = "17430",
            description = "Port of the shardlord; workers use the following ports (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LocalClusterConfig config = LocalClusterConfig.defaults(directory.directory())
                .withWorkers(workers)
                .withPostgresMajor(PostgresMajorVersion.of(postgresMajor))
                .withBasePort(basePort);
        UpResult result = new LocalCluster().up(config);
        if (output.json()) {
            spec.commandLine().getOut().println(Json.write(LocalClusterReport.upJson(result)));
        } else {
            LocalClusterReport.printUp(result, spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }
}
