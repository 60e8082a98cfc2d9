package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.execute.LiveMetadata;
import dev.shardman.cli.ExitCodes;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.StateSnapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shardman state pull}: the live metadata as a state snapshot (YAML on stdout, or a file; .json for JSON). Read-only. */
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
        String shardlord = SpecInput.load(specFile.file(), spec.commandLine().getErr()).shardlord();
        ClusterState state = LiveMetadata.read(ConnectionFactory.fromEnvironment(LiveMetadata.APPLICATION_NAME), shardlord).state();
        if (out != null) {
            StateSnapshots.write(state, out);
        } else {
            spec.commandLine().getOut().print(StateSnapshots.toYaml(state));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.SUCCESS;
    }
}
