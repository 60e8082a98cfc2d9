package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.Conninfo;
import dev.shardman.localcluster.FreePorts;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.LocalClusterException;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.UpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded {@link TestServers} (the default provider): a cluster the harness started for one test class, in its own temporary directory, through the
 * same {@link LocalCluster#up} as {@code shardman local up}. Closing it stops every server and
 * deletes the directory; a JVM shutdown hook does the same if the test run dies first. A directory
 * left behind by a JVM that was killed outright (no hooks) is cleaned by the next test run.
 */
final class RunningTestCluster implements TestServers {
    private static final Logger LOG = LoggerFactory.getLogger(RunningTestCluster.class);
    static final String DIRECTORY_PREFIX = "shardman-test-cluster-";
    static final String OWNER_FILE = "owner.pid";
    /** Set to true to keep the directory (data and server logs) after the tests, for debugging. */
    static final String KEEP_PROPERTY = "shardman.test.keepCluster";
    private static final int START_ATTEMPTS = 5;

    private final LocalCluster localCluster = new LocalCluster();
    private final Path directory;
    private final Thread shutdownHook;
    private UpResult started;

    private RunningTestCluster(Path directory) {
        this.directory = directory;
        this.shutdownHook = new Thread(this::stopQuietly, "shardman-test-cluster-stop");
    }

    static RunningTestCluster start(int workers, PostgresMajorVersion major) {
        removeLeftoversOfDeadRuns();
        Path directory;
        try {
            directory = Files.createTempDirectory(DIRECTORY_PREFIX);
            Files.writeString(directory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the test cluster", e);
        }
        RunningTestCluster cluster = new RunningTestCluster(directory);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.up(workers, major);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Ports were free when chosen but another process may take one before our server binds it. */
    private void up(int workers, PostgresMajorVersion major) {
        for (int attempt = 1; ; attempt++) {
            int basePort = FreePorts.findBlock(workers + 1);
            long startNanos = System.nanoTime();
            try {
                started = localCluster.up(new LocalClusterConfig(directory, workers, major, basePort));
                LOG.info("test cluster of {} workers ({}) started in {} ms on ports {}-{} in {}", workers, major,
                        (System.nanoTime() - startNanos) / 1_000_000, basePort, basePort + workers, directory);
                return;
            } catch (LocalClusterException e) {
                if (e.reason() != LocalClusterException.Reason.PORT_IN_USE || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.info("ports from {} were taken ({}); trying others", basePort, e.summary());
                localCluster.down(directory);
                deleteQuietly(directory.resolve("cluster.json"));
            }
        }
    }

    @Override
    public List<InstanceAddress> instances() {
        return started.instances().stream().map(instance -> new InstanceAddress(instance.name(), Conninfo.HOST, instance.port())).toList();
    }

    @Override
    public PostgresMajorVersion postgresMajor() {
        return started.postgresMajor();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public boolean localProcesses() {
        return true;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook is running or has run.
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            localCluster.down(directory);
            if (!Boolean.getBoolean(KEEP_PROPERTY)) {
                deleteRecursively(directory);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not stop the test cluster in {}: {}", directory, e.getMessage());
        }
    }

    /** Clusters whose owning JVM is gone (killed without running its shutdown hooks). */
    private static void removeLeftoversOfDeadRuns() {
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> children = Files.list(temporary)) {
            children.filter(child -> child.getFileName().toString().startsWith(DIRECTORY_PREFIX))
                    .filter(RunningTestCluster::ownerIsGone)
                    .forEach(child -> {
                        LOG.info("stopping a test cluster left over by a dead test run: {}", child);
                        try {
                            new LocalCluster().down(child);
                            deleteRecursively(child);
                        } catch (RuntimeException e) {
                            LOG.warn("could not clean {}: {}", child, e.getMessage());
                        }
                    });
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", temporary, e.getMessage());
        }
    }

    private static boolean ownerIsGone(Path directory) {
        try {
            long owner = Long.parseLong(Files.readString(directory.resolve(OWNER_FILE)).trim());
            return ProcessHandle.of(owner).map(process -> !process.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(RunningTestCluster::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", directory, e.getMessage());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", path, e.getMessage());
        }
    }
}
