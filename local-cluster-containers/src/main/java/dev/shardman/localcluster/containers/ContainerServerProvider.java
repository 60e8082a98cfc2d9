package dev.shardman.localcluster.containers;

import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.junit.TestServerProvider;
import dev.shardman.localcluster.junit.TestServers;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code -Dshardman.test.servers=containers}: the test cluster's servers as official PostgreSQL images. The image is
 * {@code postgres:<the test's major>} unless {@value #IMAGE_PROPERTY} names one for every test (e.g. {@code postgres:15},
 * to run the same ITs on another version). Without a Docker engine every test class is skipped by an assumption.
 */
public final class ContainerServerProvider implements TestServerProvider {
    static final String IMAGE_PROPERTY = "shardman.test.image";

    @Override
    public String name() {
        return "containers";
    }

    @Override
    public TestServers start(int workers, PostgresMajorVersion major) {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine is reachable here, so the containers test server provider cannot start postgres images;"
                        + " the default provider (embedded, -Dshardman.test.servers=embedded) needs none");
        String image = System.getProperty(IMAGE_PROPERTY, "").isBlank() ? "postgres:" + major.number() : System.getProperty(IMAGE_PROPERTY);
        return ContainerServers.start(workers, DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
    }
}
