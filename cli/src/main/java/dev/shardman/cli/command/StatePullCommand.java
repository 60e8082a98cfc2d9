package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.LivePartitionBytes;
import dev.shardman.applier.execute.LiveMetadata;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.StateSnapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shardman state pull}: the live metadata as a state snapshot (YAML on stdout, or a file; .json for JSON), with the
 * partitions' sizes when the spec balances by size ({@link LivePartitionBytes}). Read-only.
 */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Write the live metadata state as a snapshot (for plan --state).")
public final class StatePullCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (.json for JSON, else YAML) instead of stdout.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterSpec clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        ConnectionFactory factory = ConnectionFactory.fromEnvironment(LiveMetadata.APPLICATION_NAME).withNodeTimeout(clusterSpec.settings().nodeTimeout());
        // a spec that balances by size: the snapshot records the partitions' sizes, so that plan --state plans as plan does online
        ClusterState state = LivePartitionBytes.attach(factory, clusterSpec, LiveMetadata.read(factory, clusterSpec.cluster(), clusterSpec.shardlord()).state());
        if (out != null) {
            StateSnapshots.write(state, out);
        } else {
            spec.commandLine().getOut().print(StateSnapshots.toYaml(state));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.SUCCESS;
    }
}
