package dev.shardman.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shardman state}: the metadata state as a snapshot ({@code state pull}). */
@Command(name = "state", mixinStandardHelpOptions = true, description = "Work with the cluster metadata state.",
        subcommands = StatePullCommand.class)
public final class StateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
