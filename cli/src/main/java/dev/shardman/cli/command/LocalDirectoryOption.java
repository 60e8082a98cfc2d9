package dev.shardman.cli.command;

import dev.shardman.localcluster.LocalClusterConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --dir DIR}: where the local cluster keeps its data directories and its record. */
public final class LocalDirectoryOption {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory of the local cluster (default: .shardman/local).")
    Path directory;

    public Path directory() {
        return directory == null ? LocalClusterConfig.DEFAULT_DIRECTORY : directory;
    }
}
