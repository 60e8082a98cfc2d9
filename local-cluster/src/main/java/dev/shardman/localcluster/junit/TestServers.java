package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;

import java.nio.file.Path;
import java.util.List;

/**
 * The running servers of one test class's cluster, however they were started (see {@link TestServerProvider}): the
 * shardlord first, then w1..wN, each reachable from this JVM and from the other servers at its {@link InstanceAddress}
 * (postgres_fdw and subscriptions use the same addresses), with trust login for {@code postgres}. Closing stops them.
 */
public interface TestServers extends AutoCloseable {
    List<InstanceAddress> instances();

    PostgresMajorVersion postgresMajor();

    /** A directory of this cluster only, deleted with it; {@code <instance>/postgres.log} is each server's log. */
    Path directory();

    /** True when each server is a local process with its data directory at {@code <directory>/<instance>/data} (embedded). */
    boolean localProcesses();

    @Override
    void close();
}
