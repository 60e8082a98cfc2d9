package dev.shardman.localcluster.junit;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/** One test class's cluster as the extension keeps it: its servers, and the names of the per-test databases. */
final class ClassCluster implements AutoCloseable {
    private final TestServers servers;
    private final AtomicInteger databaseCounter = new AtomicInteger();

    ClassCluster(TestServers servers) {
        this.servers = requireNonNull(servers, "servers is null");
    }

    /** The cluster as seen through {@code database}. */
    TestCluster view(String database) {
        return new TestCluster(servers.instances(), servers.postgresMajor(), database, servers.directory(), servers.localProcesses());
    }

    /** A database name unique in this cluster, readable in server logs: test_7_moves_partition. */
    String nextDatabaseName(String methodName) {
        String cleaned = methodName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = "test_" + databaseCounter.incrementAndGet() + "_" + cleaned;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    @Override
    public void close() {
        servers.close();
    }
}
