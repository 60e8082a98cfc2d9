package dev.shardman.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = ShardmanCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
