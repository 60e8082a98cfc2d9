package dev.shardman.cli;

import dev.shardman.cli.command.Terminal;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;

/** Runs the real command line in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = ShardmanCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** As {@link #of}, apply reading its confirmation from {@code answers} as an operator would type them (e.g. "no\n"). */
    static CliRun answering(String answers, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = Terminal.answering(new BufferedReader(new StringReader(answers)));
        int exitCode = ShardmanCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), terminal).execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
