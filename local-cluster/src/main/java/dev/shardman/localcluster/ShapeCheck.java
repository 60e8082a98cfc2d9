package dev.shardman.localcluster;

import dev.shardman.localcluster.ClusterStateFile.RecordedCluster;
import dev.shardman.model.ErrorCode;

import java.util.List;
import java.util.Optional;

/** Refuses to {@code up} a directory that holds a cluster of another shape than the one asked for. */
final class ShapeCheck {
    private ShapeCheck() {
    }

    /**
     * Same version and base port as recorded, and at least as many workers: more workers grow the cluster (the new
     * ones take the next ports); fewer are refused, since up never deletes a server that may hold a node's data.
     */
    static void requireSameShape(RecordedCluster recorded, LocalClusterConfig config) {
        boolean sameServers = recorded.postgresMajor() == config.postgresMajor().number()
                && recorded.basePort() == config.basePort();
        if (sameServers && recorded.workers() <= config.workers()) {
            return;
        }
        if (sameServers) {
            throw fewerWorkers(recorded.workers(), config);
        }
        throw new LocalClusterException(LocalClusterException.Reason.CONFIGURATION_MISMATCH, ErrorCode.INVALID_INPUT,
                "the local cluster in " + config.directory() + " has " + describe(recorded.workers(),
                        recorded.postgresMajor(), recorded.basePort()) + ", not the requested "
                        + describe(config.workers(), config.postgresMajor().number(), config.basePort()),
                "run up with the same settings (--workers " + recorded.workers() + " or more, PostgreSQL "
                        + recorded.postgresMajor() + ", --base-port " + recorded.basePort()
                        + "), or run down and delete " + config.directory() + " to create a new cluster");
    }

    private static LocalClusterException fewerWorkers(int recordedWorkers, LocalClusterConfig config) {
        boolean single = config.workers() + 1 == recordedWorkers;
        String extra = single ? "w" + recordedWorkers : "w" + (config.workers() + 1) + "..w" + recordedWorkers;
        return new LocalClusterException(LocalClusterException.Reason.CONFIGURATION_MISMATCH, ErrorCode.INVALID_INPUT,
                "the local cluster in " + config.directory() + " has " + recordedWorkers + " workers; up does not remove "
                        + extra + " (asked for --workers " + config.workers() + ")",
                "to take " + extra + " out of the cluster, remove " + (single ? "it" : "them") + " from the spec's nodes and run apply: "
                        + (single ? "its" : "their") + " partitions move to the other nodes; " + (single ? "the server then holds" : "the servers then hold")
                        + " nothing of the cluster and may keep running unused "
                        + "(local down stops every server; deleting " + config.directory() + " afterwards starts afresh)");
    }

    /** Data directories left without a state file must still be of the requested major version. */
    static void requireDataDirectoriesOf(PostgresMajorVersion major, List<InstanceLayout> layout) {
        for (InstanceLayout instance : layout) {
            Optional<String> existing = ServerVersion.ofDataDirectory(instance.dataDirectory());
            if (existing.isPresent() && !existing.get().equals(Integer.toString(major.number()))) {
                throw new LocalClusterException(LocalClusterException.Reason.CONFIGURATION_MISMATCH,
                        ErrorCode.INVALID_INPUT,
                        "the data directory of " + instance.name() + " (" + instance.dataDirectory()
                                + ") belongs to PostgreSQL " + existing.get() + ", not " + major.number(),
                        "ask for PostgreSQL " + existing.get() + ", or run down and delete the directory");
            }
        }
    }

    private static String describe(int workers, int major, int basePort) {
        return workers + " workers on PostgreSQL " + major + " from port " + basePort;
    }
}
