package dev.shardman.localcluster;

import dev.shardman.localcluster.ClusterStateFile.RecordedCluster;
import dev.shardman.model.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A cluster of real PostgreSQL servers on this machine: a shardlord and workers w1..wN on
 * consecutive ports of 127.0.0.1, all under one directory. The servers outlive the JVM, like
 * {@code pg_ctl start}; {@code cluster.json} in the directory records what was created, so that
 * {@code status} and {@code down} work from any later process. Operations on one directory are
 * serialised across processes.
 */
public final class LocalCluster {

    /**
     * Starts every instance of {@code config} that is not running, creating it on first use.
     * Changes nothing when all are running ({@link UpResult#alreadyRunning()}). With more workers than the directory
     * records, the new ones are created on the next ports ({@link UpResult#addedWorkers()}); fewer are refused.
     *
     * @throws LocalClusterException when the directory holds a cluster of another shape, a port is
     *     taken by something else, or a server does not start
     */
    public UpResult up(LocalClusterConfig config) {
        Path directory = config.directory();
        List<InstanceLayout> layout = InstanceLayout.forCluster(directory, config.workers(), config.basePort());
        return DirectoryLock.holding(directory, () -> upHoldingLock(config, layout));
    }

    private static UpResult upHoldingLock(LocalClusterConfig config, List<InstanceLayout> layout) {
        Path directory = config.directory();
        Optional<RecordedCluster> recorded = ClusterStateFile.read(directory);
        recorded.ifPresent(cluster -> ShapeCheck.requireSameShape(cluster, config));
        ShapeCheck.requireDataDirectoriesOf(config.postgresMajor(), layout);
        String recordedVersion = recorded.map(RecordedCluster::postgresVersion).orElse("");

        List<InstanceLayout> stopped = layout.stream()
                .filter(instance -> Postmaster.find(instance.dataDirectory()).isEmpty())
                .toList();
        // Check every port before starting anything, so that a refusal changes nothing.
        requireFreePorts(stopped);
        if (recorded.isEmpty() || !stopped.isEmpty()) {
            // Recorded first, so that status and down know the instances even if a start fails.
            ClusterStateFile.write(directory, RecordedCluster.of(config, layout, recordedVersion));
        }
        Parallel.map(stopped, instance -> {
            InstanceStarter.start(instance, config.postgresMajor());
            return instance;
        });

        List<InstanceReport> reports = layout.stream()
                .map(instance -> new InstanceReport(instance.name(), instance.port(), instance.dataDirectory(),
                        liveVersion(instance),
                        stopped.contains(instance) ? StartOutcome.STARTED : StartOutcome.ALREADY_RUNNING))
                .toList();
        String version = reports.get(0).serverVersion();
        if (!version.equals(recordedVersion)) {
            ClusterStateFile.write(directory, RecordedCluster.of(config, layout, version));
        }
        int recordedWorkers = recorded.map(RecordedCluster::workers).orElse(config.workers());
        List<String> added = layout.stream().skip(1L + recordedWorkers).map(InstanceLayout::name).toList();
        return new UpResult(directory, config.postgresMajor(), reports, added);
    }

    /**
     * Every instance of the cluster in {@code directory}, running or stopped.
     *
     * @throws LocalClusterException when the directory holds no local cluster
     */
    public ClusterStatus status(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        RecordedCluster recorded = ClusterStateFile.read(absolute)
                .orElseThrow(() -> new LocalClusterException(LocalClusterException.Reason.STATE_FILE,
                        ErrorCode.INVALID_INPUT,
                        "there is no local cluster in " + absolute,
                        "start one with `shardman local up`"));
        List<InstanceStatus> instances = recorded.layout(absolute).stream()
                .map(instance -> statusOf(instance, recorded.postgresVersion()))
                .toList();
        return new ClusterStatus(absolute, PostgresMajorVersion.of(recorded.postgresMajor()), instances);
    }

    /**
     * Stops every running instance of the cluster in {@code directory} (fast shutdown) and waits
     * until no postmaster of it is left. Idempotent: a stopped or missing cluster is reported as
     * such.
     *
     * @throws LocalClusterException when a server does not stop
     */
    public DownResult down(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            return new DownResult(absolute, List.of());
        }
        return DirectoryLock.holding(absolute, () -> {
            List<InstanceLayout> instances = ClusterStateFile.read(absolute)
                    .map(recorded -> recorded.layout(absolute))
                    .orElseGet(() -> instancesWithoutStateFile(absolute));
            return new DownResult(absolute, Parallel.map(instances, InstanceStopper::stop));
        });
    }

    private static InstanceStatus statusOf(InstanceLayout instance, String recordedVersion) {
        Optional<Postmaster> postmaster = Postmaster.find(instance.dataDirectory());
        String fallbackVersion = recordedVersion.isEmpty()
                ? ServerVersion.ofDataDirectory(instance.dataDirectory()).orElse("unknown")
                : recordedVersion;
        if (postmaster.isEmpty()) {
            return new InstanceStatus(instance.name(), instance.port(), instance.dataDirectory(),
                    InstanceState.STOPPED, OptionalLong.empty(), fallbackVersion);
        }
        int port = postmaster.get().port() > 0 ? postmaster.get().port() : instance.port();
        String version;
        try {
            version = ServerVersion.query(port);
        } catch (SQLException e) {
            // Starting up or shutting down: the process is there, the version is what we recorded.
            version = fallbackVersion;
        }
        return new InstanceStatus(instance.name(), port, instance.dataDirectory(),
                InstanceState.RUNNING, OptionalLong.of(postmaster.get().pid()), version);
    }

    private static String liveVersion(InstanceLayout instance) {
        try {
            return ServerVersion.query(instance.port());
        } catch (SQLException e) {
            throw new LocalClusterException(LocalClusterException.Reason.START_FAILED, ErrorCode.NODE_FAILURE,
                    instance.name() + " runs but does not answer on 127.0.0.1:" + instance.port() + ": " + e.getMessage(),
                    "see " + instance.logFile(), e);
        }
    }

    private static void requireFreePorts(List<InstanceLayout> instances) {
        List<InstanceLayout> busy = instances.stream().filter(instance -> !Ports.isFree(instance.port())).toList();
        if (busy.isEmpty()) {
            return;
        }
        List<String> descriptions = new ArrayList<>();
        busy.forEach(instance -> descriptions.add("port " + instance.port() + " (for " + instance.name() + ")"));
        throw new LocalClusterException(LocalClusterException.Reason.PORT_IN_USE, ErrorCode.REFUSED,
                "another program listens on 127.0.0.1 at " + String.join(", ", descriptions),
                "choose other ports with --base-port, or stop the server that listens on port " + busy.get(0).port());
    }

    /** A directory whose state file is lost still has its instances' data directories. */
    private static List<InstanceLayout> instancesWithoutStateFile(Path directory) {
        try (Stream<Path> children = Files.list(directory)) {
            return children
                    .filter(child -> Files.exists(child.resolve("data").resolve("PG_VERSION")))
                    .map(child -> InstanceLayout.of(directory, child.getFileName().toString(), 0))
                    .sorted(Comparator.comparing(InstanceLayout::name))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
