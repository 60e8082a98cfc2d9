package dev.shardman.localcluster;

import dev.shardman.localcluster.ClusterStateFile.RecordedCluster;
import dev.shardman.model.ErrorCode;

import java.util.List;
import java.util.Optional;

/** Refuses to {@code up} a directory that holds a cluster of another shape than the one asked for. */
final class ShapeCheck {
    private ShapeCheck() {
    }

    static void requireSameShape(RecordedCluster recorded, LocalClusterConfig config) {
        boolean same = recorded.workers() == config.workers()
                && recorded.postgresMajor() == config.postgresMajor().number()
                && recorded.basePort() == config.basePort();
        if (same) {
            return;
        }
        throw new LocalClusterException(LocalClusterException.Reason.CONFIGURATION_MISMATCH, ErrorCode.INVALID_INPUT,
                "the local cluster in " + config.directory() + " has " + describe(recorded.workers(),
                        recorded.postgresMajor(), recorded.basePort()) + ", not the requested "
                        + describe(config.workers(), config.postgresMajor().number(), config.basePort()),
                "run up with the same settings (--workers " + recorded.workers() + ", PostgreSQL "
                        + recorded.postgresMajor() + ", --base-port " + recorded.basePort()
                        + "), or run down and delete " + config.directory() + " to create a new cluster");
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
