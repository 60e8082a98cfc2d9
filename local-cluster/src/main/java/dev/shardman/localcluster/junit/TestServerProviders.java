package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;

import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Chooses the {@link TestServerProvider} named by {@value #PROPERTY}: {@code embedded} when unset. */
final class TestServerProviders {
    static final String PROPERTY = "shardman.test.servers";
    static final String EMBEDDED = "embedded";

    private TestServerProviders() {
    }

    static TestServers start(int workers, PostgresMajorVersion major) {
        String wanted = System.getProperty(PROPERTY, EMBEDDED);
        if (wanted.equals(EMBEDDED)) {
            return RunningTestCluster.start(workers, major);
        }
        ServiceLoader<TestServerProvider> providers = ServiceLoader.load(TestServerProvider.class);
        return providers.stream().map(ServiceLoader.Provider::get).filter(provider -> provider.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalStateException(PROPERTY + "=" + wanted + " names no test server provider on the classpath (found: "
                        + providers.stream().map(provider -> provider.get().name()).collect(Collectors.joining(", ", EMBEDDED + " ", ""))
                        + "); the containers provider comes with mvn -P testcontainers"))
                .start(workers, major);
    }
}
