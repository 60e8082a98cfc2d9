package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What {@code shardman local up} should start: a shardlord on {@code basePort} and workers
 * {@code w1..wN} on {@code basePort + 1 .. basePort + N}, all on 127.0.0.1, with their data
 * under {@code directory}. The directory is stored absolute and normalised.
 */
public record LocalClusterConfig(Path directory, int workers, PostgresMajorVersion postgresMajor, int basePort) {
    /** The CLI's default directory, relative to the current directory. */
    public static final Path DEFAULT_DIRECTORY = Path.of(".shardman", "local");
    public static final int DEFAULT_WORKERS = 3;
    /**
     * Below the ports the kernel hands to client sockets (Linux 32768-60999, macOS and Windows 49152-65535): a busy
     * machine's outgoing connections, and their TIME_WAIT after they close, cannot hold these between two demos.
     */
    public static final int DEFAULT_BASE_PORT = 17430;
    /** Enough for "~10 nodes"; the server settings are sized for that many peers. */
    public static final int MAX_WORKERS = 16;

    public LocalClusterConfig {
        requireNonNull(directory, "directory is null");
        requireNonNull(postgresMajor, "postgresMajor is null");
        directory = directory.toAbsolutePath().normalize();
        if (workers < 0 || workers > MAX_WORKERS) {
            throw invalid("worker count " + workers + " is out of range", "choose 0 to " + MAX_WORKERS + " workers");
        }
        if (basePort < 1024 || basePort + workers > 65535) {
            throw invalid("base port " + basePort + " with " + workers + " workers is out of range",
                    "choose a base port from 1024 to " + (65535 - workers));
        }
    }

    /** The defaults of {@code shardman local up} for the given directory. */
    public static LocalClusterConfig defaults(Path directory) {
        return new LocalClusterConfig(directory, DEFAULT_WORKERS, PostgresMajorVersion.DEFAULT, DEFAULT_BASE_PORT);
    }

    public LocalClusterConfig withWorkers(int newWorkers) {
        return new LocalClusterConfig(directory, newWorkers, postgresMajor, basePort);
    }

    public LocalClusterConfig withPostgresMajor(PostgresMajorVersion newMajor) {
        return new LocalClusterConfig(directory, workers, newMajor, basePort);
    }

    public LocalClusterConfig withBasePort(int newBasePort) {
        return new LocalClusterConfig(directory, workers, postgresMajor, newBasePort);
    }

    private static LocalClusterException invalid(String summary, String detail) {
        return new LocalClusterException(
                LocalClusterException.Reason.INVALID_CONFIGURATION, ErrorCode.INVALID_INPUT, summary, detail);
    }
}
