package dev.shardman.localcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Where one instance lives: {@code <directory>/<name>/data} for its data directory and
 * {@code <directory>/<name>/postgres.log} for the server's output. The log sits beside the data
 * directory because initdb insists on an empty one.
 */
record InstanceLayout(String name, int port, Path dataDirectory, Path logFile) {
    static final String SHARDLORD = "shardlord";

    InstanceLayout {
        requireNonNull(name, "name is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(logFile, "logFile is null");
    }

    static InstanceLayout of(Path clusterDirectory, String name, int port) {
        Path home = clusterDirectory.resolve(name);
        return new InstanceLayout(name, port, home.resolve("data"), home.resolve("postgres.log"));
    }

    /** The shardlord on {@code basePort}, then w1..wN on the following ports. */
    static List<InstanceLayout> forCluster(Path clusterDirectory, int workers, int basePort) {
        List<InstanceLayout> instances = new ArrayList<>();
        instances.add(of(clusterDirectory, SHARDLORD, basePort));
        for (int worker = 1; worker <= workers; worker++) {
            instances.add(of(clusterDirectory, "w" + worker, basePort + worker));
        }
        return List.copyOf(instances);
    }
}
