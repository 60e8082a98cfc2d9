package dev.shardman.cli.command;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code -f FILE} option shared by every command that reads a spec. */
public final class SpecFileOption {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "cluster.yaml",
            description = "The cluster spec (default: ${DEFAULT-VALUE}).")
    Path file;

    public Path file() {
        return file;
    }
}
