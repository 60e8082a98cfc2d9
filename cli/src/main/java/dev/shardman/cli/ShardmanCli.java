package dev.shardman.cli;

import dev.shardman.cli.command.RootCommand;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Builds the configured picocli {@link CommandLine}: exit-code mapping, usage-error handling and
 * colour policy live here so that tests run exactly what {@code main} runs, with their own writers.
 */
public final class ShardmanCli {
    private ShardmanCli() {
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RootCommand());
        commandLine.setExitCodeExceptionMapper(new ExitCodes());
        commandLine.setExecutionExceptionHandler(new ExecutionErrorHandler());
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        if (!ColorPolicy.fromEnvironment().helpMayUseColor()) {
            commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        return commandLine;
    }

    /** For tests: the same command line writing to the given writers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }
}
