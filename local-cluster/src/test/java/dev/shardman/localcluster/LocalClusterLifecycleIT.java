package dev.shardman.localcluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shardman local up|status|down} end to end, in a temporary directory on free ports (never
 * the fixed 17430.. of a developer's own local cluster). The methods run in order, each building on
 * the state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterLifecycleIT {
    private static final int WORKERS = 2;
    private static Path directory;
    private static LocalClusterConfig config;

    @BeforeAll
    static void chooseDirectoryAndPorts() throws IOException {
        directory = Files.createTempDirectory("shardman-lifecycle-").resolve("local");
        // one port more than the cluster starts with: upWithMoreWorkersGrowsTheRunningCluster adds a worker there
        config = new LocalClusterConfig(directory, WORKERS, PostgresMajorVersion.DEFAULT, FreePorts.findBlock(WORKERS + 2));
    }

    @AfterAll
    static void stopAndDelete() throws IOException {
        new LocalCluster().down(directory);
        try (Stream<Path> paths = Files.walk(directory.getParent())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    @Order(1)
    void serversStartedByUpOutliveTheJvmThatRanIt() throws Exception {
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                UpInChildJvm.class.getName(), directory.toString(), Integer.toString(WORKERS),
                Integer.toString(config.postgresMajor().number()), Integer.toString(config.basePort()))
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("shardlord " + config.basePort() + " 17."), output);

        ClusterStatus status = new LocalCluster().status(directory);
        assertTrue(status.allRunning(), status.toString());
        assertEquals(List.of("shardlord", "w1", "w2"), status.instances().stream().map(InstanceStatus::name).toList());
        for (InstanceStatus instance : status.instances()) {
            assertTrue(instance.serverVersion().startsWith("17."), instance.toString());
            assertTrue(instance.pid().isPresent(), instance.toString());
        }
    }

    @Test
    @Order(2)
    void everyInstanceHasTheSettingsShardmanNeedsAndItsOwnSystemIdentifier() throws SQLException {
        java.util.Set<String> identifiers = new java.util.HashSet<>();
        for (int port = config.basePort(); port <= config.basePort() + WORKERS; port++) {
            try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
                // the data directories are copies of one initdb's: shardman tells nodes apart by this identifier
                try (var rows = statement.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
                    rows.next();
                    assertTrue(identifiers.add(rows.getString(1)), "port " + port + " shares its system identifier: " + identifiers);
                }
                assertEquals("logical", show(statement, "wal_level"));
                assertTrue(Integer.parseInt(show(statement, "max_prepared_transactions")) > 0);
                assertTrue(Integer.parseInt(show(statement, "max_replication_slots")) >= 20);
                assertEquals("200ms", show(statement, "wal_retrieve_retry_interval"));
                assertEquals("on", show(statement, "synchronous_commit"));
                assertEquals("127.0.0.1", show(statement, "listen_addresses"));
                statement.execute("CREATE EXTENSION postgres_fdw");
                statement.execute("DROP EXTENSION postgres_fdw");
            }
        }
    }

    @Test
    @Order(3)
    void upAgainReportsAlreadyRunningAndChangesNothing() throws IOException {
        List<Long> pidsBefore = pids();
        FileTime stateFileBefore = Files.getLastModifiedTime(directory.resolve("cluster.json"));

        UpResult result = new LocalCluster().up(config);

        assertTrue(result.alreadyRunning(), result.toString());
        assertEquals(pidsBefore, pids());
        assertEquals(stateFileBefore, Files.getLastModifiedTime(directory.resolve("cluster.json")));
    }

    @Test
    @Order(4)
    void upWithAnotherShapeIsRefused() {
        LocalClusterException fewerWorkers = assertThrows(LocalClusterException.class,
                () -> new LocalCluster().up(config.withWorkers(WORKERS - 1)));
        assertEquals(LocalClusterException.Reason.CONFIGURATION_MISMATCH, fewerWorkers.reason());
        assertTrue(fewerWorkers.getMessage().contains("has 2 workers; up does not remove w2 (asked for --workers 1)"),
                fewerWorkers.getMessage());
        assertTrue(fewerWorkers.detail().contains("remove it from the spec's nodes and run apply"), fewerWorkers.detail());
        assertEquals(List.of("shardlord", "w1", "w2"), new LocalCluster().status(directory).instances().stream()
                .map(InstanceStatus::name).toList(), "a refused up changes nothing");

        LocalClusterException otherVersion = assertThrows(LocalClusterException.class,
                () -> new LocalCluster().up(config.withPostgresMajor(PostgresMajorVersion.POSTGRES_16)));
        assertEquals(LocalClusterException.Reason.CONFIGURATION_MISMATCH, otherVersion.reason());
        assertTrue(otherVersion.getMessage().contains("PostgreSQL 17"), otherVersion.getMessage());
    }

    @Test
    @Order(5)
    void aPortTakenBySomethingElseIsNamed() throws IOException {
        int base = FreePorts.findBlock(2);
        Path otherDirectory = directory.resolveSibling("other");
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), base + 1));

            LocalClusterException busy = assertThrows(LocalClusterException.class,
                    () -> new LocalCluster().up(new LocalClusterConfig(otherDirectory, 1, PostgresMajorVersion.DEFAULT, base)));

            assertEquals(LocalClusterException.Reason.PORT_IN_USE, busy.reason());
            assertTrue(busy.getMessage().contains("port " + (base + 1) + " (for w1)"), busy.getMessage());
            assertTrue(busy.getMessage().contains("--base-port"), busy.getMessage());
        }
        assertFalse(Files.exists(otherDirectory.resolve("cluster.json")), "nothing may be created when a port is taken");
        assertTrue(new LocalCluster().down(otherDirectory).instances().isEmpty());

        LocalClusterException ours = assertThrows(LocalClusterException.class, () -> new LocalCluster()
                .up(new LocalClusterConfig(otherDirectory.resolveSibling("third"), 0, PostgresMajorVersion.DEFAULT,
                        config.basePort())));
        assertTrue(ours.getMessage().contains("port " + config.basePort()), ours.getMessage());
    }

    @Test
    @Order(6)
    void upStartsOnlyTheInstancesThatAreStopped() {
        InstanceStatus w1 = new LocalCluster().status(directory).instances().get(1);
        assertTrue(Signals.send(w1.pid().orElseThrow(), Signals.FAST_SHUTDOWN));
        while (Postmaster.find(w1.dataDirectory()).isPresent()) {
            Thread.onSpinWait();
        }

        UpResult result = new LocalCluster().up(config);

        assertEquals(List.of(StartOutcome.ALREADY_RUNNING, StartOutcome.STARTED, StartOutcome.ALREADY_RUNNING),
                result.instances().stream().map(InstanceReport::outcome).toList());
        assertTrue(new LocalCluster().status(directory).allRunning());
    }

    @Test
    @Order(7)
    void upWithMoreWorkersGrowsTheRunningCluster() {
        List<Long> pidsBefore = pids();

        UpResult grown = new LocalCluster().up(config.withWorkers(WORKERS + 1));

        assertEquals(List.of("w3"), grown.addedWorkers());
        assertEquals(List.of(StartOutcome.ALREADY_RUNNING, StartOutcome.ALREADY_RUNNING, StartOutcome.ALREADY_RUNNING, StartOutcome.STARTED),
                grown.instances().stream().map(InstanceReport::outcome).toList());
        assertEquals(config.basePort() + 3, grown.added().get(0).port());
        ClusterStatus status = new LocalCluster().status(directory);
        assertTrue(status.allRunning(), status.toString());
        assertEquals(List.of("shardlord", "w1", "w2", "w3"), status.instances().stream().map(InstanceStatus::name).toList());
        assertEquals(pidsBefore, pids().subList(0, 3), "the running servers are left alone");
        assertTrue(new LocalCluster().up(config.withWorkers(WORKERS + 1)).alreadyRunning(), "the grown shape is the recorded one now");
    }

    @Test
    @Order(8)
    void downStopsEveryServerOfTheDirectoryAndIsIdempotent() {
        DownResult result = new LocalCluster().down(directory);

        assertEquals(List.of(StopOutcome.STOPPED, StopOutcome.STOPPED, StopOutcome.STOPPED, StopOutcome.STOPPED),
                result.instances().stream().map(InstanceStop::outcome).toList());
        // An exited postmaster may linger as a zombie until it is reaped; its command line is gone then.
        assertEquals(List.of(), postgresProcessesOf(directory));
        for (InstanceStatus instance : new LocalCluster().status(directory).instances()) {
            assertFalse(Files.exists(instance.dataDirectory().resolve("postmaster.pid")), instance.toString());
        }
        ClusterStatus status = new LocalCluster().status(directory);
        assertTrue(status.allStopped(), status.toString());
        assertEquals("17", status.instances().get(0).serverVersion().substring(0, 2));

        assertTrue(new LocalCluster().down(directory).alreadyStopped());
    }

    private static List<Long> pids() {
        return new LocalCluster().status(directory).instances().stream()
                .map(instance -> instance.pid().orElseThrow())
                .toList();
    }

    /** Like {@code pgrep -f <directory>}: any process whose command line names the directory. */
    private static List<String> postgresProcessesOf(Path clusterDirectory) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.stream(arguments).anyMatch(argument -> argument.contains(clusterDirectory.toString())))
                        .orElse(false))
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection(Conninfo.jdbcUrl(port, "postgres") + "?user=postgres&ApplicationName=shardman-test");
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
