package dev.shardman.cli;

import dev.shardman.cli.command.ExitCodes;
import picocli.CommandLine;

import java.io.PrintWriter;

/** Prints a usage error with the subcommand's usage and a hint, and exits {@link ExitCodes#USAGE}. */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("error: " + exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println();
        commandLine.usage(err, commandLine.getColorScheme());
        err.flush();
        return ExitCodes.USAGE;
    }
}
