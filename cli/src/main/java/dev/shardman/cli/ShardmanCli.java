package dev.shardman.cli;

import dev.shardman.cli.command.ApplyCommand;
import dev.shardman.cli.command.ColorPolicy;
import dev.shardman.cli.command.ExitCodes;
import dev.shardman.cli.command.RootCommand;
import dev.shardman.cli.command.Terminal;
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
        return configured(new CommandLine(new RootCommand()));
    }

    private static CommandLine configured(CommandLine commandLine) {
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

    /** For tests: as {@link #commandLine(PrintWriter, PrintWriter)}, apply asking on {@code terminal} (answers given in advance). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Terminal terminal) {
        CommandLine commandLine = configured(new CommandLine(new RootCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ApplyCommand.class ? type.cast(new ApplyCommand(terminal)) : CommandLine.defaultFactory().create(type);
            }
        }));
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }
}
