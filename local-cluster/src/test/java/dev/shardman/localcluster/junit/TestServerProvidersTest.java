package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider seam chooses by {@value TestServerProviders#PROPERTY} among the providers listed for ServiceLoader, and says what it found. */
class TestServerProvidersTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(TestServerProviders.PROPERTY);
    }

    @Test
    void aListedProviderIsChosenByName() {
        System.setProperty(TestServerProviders.PROPERTY, "listed");

        TestServers servers = TestServerProviders.start(2, PostgresMajorVersion.POSTGRES_15);

        assertSame(ListedProvider.SERVERS, servers);
        assertEquals(List.of(2, 15), ListedProvider.lastRequest);
    }

    @Test
    void anUnknownNameIsRefusedNamingTheProvidersThere() {
        System.setProperty(TestServerProviders.PROPERTY, "containers");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> TestServerProviders.start(1, PostgresMajorVersion.DEFAULT));

        assertTrue(refused.getMessage().contains("shardman.test.servers=containers names no test server provider")
                && refused.getMessage().contains("embedded listed") && refused.getMessage().contains("-P testcontainers"), refused.getMessage());
    }

    /** Listed in this module's test resources (META-INF/services); starts nothing. */
    public static final class ListedProvider implements TestServerProvider {
        static final TestServers SERVERS = new TestServers() {
            @Override
            public List<InstanceAddress> instances() {
                return List.of();
            }

            @Override
            public PostgresMajorVersion postgresMajor() {
                return PostgresMajorVersion.DEFAULT;
            }

            @Override
            public Path directory() {
                return Path.of("/nonexistent");
            }

            @Override
            public boolean localProcesses() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        static volatile List<Integer> lastRequest = List.of();

        @Override
        public String name() {
            return "listed";
        }

        @Override
        public TestServers start(int workers, PostgresMajorVersion major) {
            lastRequest = List.of(workers, major.number());
            return SERVERS;
        }
    }
}
