package dev.shardman.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shardman local up|status|down}: the embedded local cluster for trying shardman out. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a local cluster of real PostgreSQL servers (a shardlord and N workers) on 127.0.0.1.",
        subcommands = {LocalUpCommand.class, LocalStatusCommand.class, LocalDownCommand.class})
public final class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: say what to do: local up, local status or local down");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
