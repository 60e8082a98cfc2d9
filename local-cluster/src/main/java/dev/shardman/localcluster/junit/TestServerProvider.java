package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;

/**
 * Where the servers of a {@link LocalClusterTest} come from: the seam between the harness and the servers. The default,
 * {@code embedded}, starts zonky's PostgreSQL binaries as local processes (no Docker). Others are found with
 * {@link java.util.ServiceLoader} and chosen by the system property {@value TestServerProviders#PROPERTY}, e.g.
 * {@code containers} from the module {@code local-cluster-containers} ({@code mvn -P testcontainers verify}).
 * A provider that cannot run here (no Docker engine) aborts with a JUnit assumption saying why: the tests are skipped.
 */
public interface TestServerProvider {
    /** The value of {@value TestServerProviders#PROPERTY} that selects this provider. */
    String name();

    /** Starts the shardlord and {@code workers} workers, all of {@code major}, with the local cluster's server settings. */
    TestServers start(int workers, PostgresMajorVersion major);
}
