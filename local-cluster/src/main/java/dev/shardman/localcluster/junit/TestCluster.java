package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.Conninfo;
import dev.shardman.localcluster.PostgresMajorVersion;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * A running test cluster as one test sees it: the instances (shardlord first, then w1..wN) and
 * the database this test owns on every one of them. In a test method the database is fresh
 * (created before the method, dropped after it); in {@code @BeforeAll}/{@code @AfterAll} it is
 * {@code postgres}, which lives as long as the cluster.
 */
public final class TestCluster {
    static final String APPLICATION_NAME = "shardman-test";

    private final List<InstanceAddress> instances;
    private final PostgresMajorVersion postgresMajor;
    private final String database;
    private final Path directory;
    private final boolean localProcesses;

    TestCluster(List<InstanceAddress> instances, PostgresMajorVersion postgresMajor, String database, Path directory, boolean localProcesses) {
        this.instances = List.copyOf(instances);
        this.postgresMajor = requireNonNull(postgresMajor, "postgresMajor is null");
        this.database = requireNonNull(database, "database is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.localProcesses = localProcesses;
    }

    /** Every instance: the shardlord first, then w1..wN. */
    public List<InstanceAddress> instances() {
        return instances;
    }

    public InstanceAddress shardlord() {
        return instances.get(0);
    }

    /** The workers w1..wN in order. */
    public List<InstanceAddress> workers() {
        return instances.subList(1, instances.size());
    }

    /** Worker {@code wN}, counted from 1. */
    public InstanceAddress worker(int number) {
        if (number < 1 || number >= instances.size()) {
            throw new IllegalArgumentException("there is no worker w" + number + "; this cluster has w1..w"
                    + (instances.size() - 1));
        }
        return instances.get(number);
    }

    public InstanceAddress instance(String name) {
        return instances.stream()
                .filter(instance -> instance.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("there is no instance named " + name));
    }

    public PostgresMajorVersion postgresMajor() {
        return postgresMajor;
    }

    /** The name of this test's database (the same on every instance). */
    public String database() {
        return database;
    }

    /** The same cluster seen through another database, e.g. {@code postgres}. */
    public TestCluster withDatabase(String otherDatabase) {
        return new TestCluster(instances, postgresMajor, otherDatabase, directory, localProcesses);
    }

    /**
     * True with the embedded servers (the default provider): each instance is a process of this machine whose data directory
     * is beside its {@link #serverLog}. Tests that signal a postmaster need it; under containers they are skipped.
     */
    public boolean serversAreLocalProcesses() {
        return localProcesses;
    }

    /** The server log of {@code instance}, to read when a test fails (deleted with the cluster). */
    public Path serverLog(InstanceAddress instance) {
        return directory.resolve(instance.name()).resolve("postgres.log");
    }

    /** The JDBC URL of this test's database on {@code instance}; connect as user {@code postgres}. */
    public String jdbcUrl(InstanceAddress instance) {
        return Conninfo.jdbcUrl(instance.port(), database);
    }

    /** libpq conninfo of this test's database: {@code host=127.0.0.1 port=... dbname=... user=postgres}. */
    public String conninfo(InstanceAddress instance) {
        return Conninfo.of(instance.port(), database);
    }

    /** A new superuser connection to this test's database, with ApplicationName {@code shardman-test}. */
    public Connection connect(InstanceAddress instance) throws SQLException {
        return connect(instance, APPLICATION_NAME);
    }

    /** Like {@link #connect(InstanceAddress)} with another ApplicationName (it shows in pg_stat_activity). */
    public Connection connect(InstanceAddress instance, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", Conninfo.SUPERUSER);
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(instance), properties);
    }

    @Override
    public String toString() {
        return "TestCluster" + instances + " database " + database;
    }
}
