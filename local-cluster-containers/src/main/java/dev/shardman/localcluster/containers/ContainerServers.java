package dev.shardman.localcluster.containers;

import dev.shardman.localcluster.Conninfo;
import dev.shardman.localcluster.FreePorts;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.ServerSettings;
import dev.shardman.localcluster.junit.InstanceAddress;
import dev.shardman.localcluster.junit.TestServers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One postgres container per instance, on the host's network, each server on its own free port of 127.0.0.1: the
 * addresses the harness gives to tests are then the ones the servers use to reach each other (postgres_fdw,
 * subscriptions), as with the embedded servers. Host networking needs a Linux Docker engine. The settings are the
 * embedded cluster's ({@link ServerSettings}) as the config file, so that ALTER SYSTEM still overrides them; each
 * server's output goes to {@code <directory>/<instance>/postgres.log}.
 */
final class ContainerServers implements TestServers {
    private static final String CONFIG_FILE = "/etc/shardman/shardman.conf";
    /** The image's init runs a temporary server first; the second "ready" is the real one. */
    private static final String READY = ".*database system is ready to accept connections.*\\s";
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final List<GenericContainer<?>> containers;
    private final List<InstanceAddress> instances;
    private final Path directory;
    private PostgresMajorVersion major;

    private ContainerServers(List<GenericContainer<?>> containers, List<InstanceAddress> instances, Path directory) {
        this.containers = List.copyOf(containers);
        this.instances = List.copyOf(instances);
        this.directory = directory;
    }

    static ContainerServers start(int workers, DockerImageName image) {
        Path directory;
        try {
            directory = Files.createTempDirectory("shardman-test-containers-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the test cluster", e);
        }
        int basePort = FreePorts.findBlock(workers + 1);
        List<GenericContainer<?>> containers = new ArrayList<>();
        List<InstanceAddress> instances = new ArrayList<>();
        for (int number = 0; number <= workers; number++) {
            String name = number == 0 ? "shardlord" : "w" + number;
            instances.add(new InstanceAddress(name, Conninfo.HOST, basePort + number));
            containers.add(container(image, basePort + number, log(directory, name)));
        }
        ContainerServers servers = new ContainerServers(containers, instances, directory);
        try {
            Startables.deepStart(containers).join();
            servers.major = servers.readMajor();
            return servers;
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    @SuppressWarnings("resource") // closed by close()
    private static GenericContainer<?> container(DockerImageName image, int port, Path log) {
        return new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withCopyToContainer(Transferable.of(ServerSettings.render()), CONFIG_FILE)
                .withCommand("postgres", "-c", "config_file=" + CONFIG_FILE, "-c", "port=" + port, "-c", "listen_addresses=" + Conninfo.HOST,
                        "-c", "unix_socket_directories=/var/run/postgresql")
                .withLogConsumer(frame -> append(log, frame.getUtf8String()))
                .waitingFor(Wait.forLogMessage(READY, 2).withStartupTimeout(STARTUP));
    }

    private static Path log(Path directory, String name) {
        try {
            return Files.createDirectories(directory.resolve(name)).resolve("postgres.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a log line lost is not worth failing a test for
        }
    }

    private PostgresMajorVersion readMajor() {
        try (Connection connection = DriverManager.getConnection(Conninfo.jdbcUrl(instances.get(0).port(), "postgres"), Conninfo.SUPERUSER, "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            row.next();
            return PostgresMajorVersion.of(row.getInt(1));
        } catch (SQLException e) {
            throw new IllegalStateException("the shardlord container does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public List<InstanceAddress> instances() {
        return instances;
    }

    @Override
    public PostgresMajorVersion postgresMajor() {
        return major;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public boolean localProcesses() {
        return false;
    }

    @Override
    public void close() {
        containers.forEach(GenericContainer::stop);
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
