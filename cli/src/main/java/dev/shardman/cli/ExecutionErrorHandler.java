package dev.shardman.cli;

import dev.shardman.cli.command.ExitCodes;
import dev.shardman.model.ShardmanException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns an exception thrown by a command into a message on stderr and an exit code. A
 * {@link ShardmanException} is an expected failure: its summary and detail are printed without a
 * stack trace. Anything else is a bug: the trace is printed (it never carries a password: conninfo
 * strings are redacted before they reach an exception message).
 */
final class ExecutionErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine,
                                        CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (exception instanceof ShardmanException shardmanException) {
            err.println("error: " + shardmanException.summary());
            if (!shardmanException.detail().isEmpty()) {
                err.println(shardmanException.detail());
            }
        } else {
            err.println("error: unexpected failure: " + exception);
            exception.printStackTrace(err);
        }
        err.flush();
        return new ExitCodes().getExitCode(exception);
    }
}
