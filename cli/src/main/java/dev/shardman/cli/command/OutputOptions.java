package dev.shardman.cli.command;

import picocli.CommandLine.Option;

/** {@code --json} and {@code --no-color}, shared by every command that prints a report. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print the report as JSON (a documented, versioned schema).")
    boolean json;

    @Option(names = "--no-color", description = "Never colour the output (also: NO_COLOR=1).")
    boolean noColor;

    public boolean json() {
        return json;
    }

    /** Colour only on a terminal, and never with --no-color, NO_COLOR or --json. */
    public boolean useColor() {
        return !json && ColorPolicy.fromEnvironment().useColor(noColor);
    }
}
