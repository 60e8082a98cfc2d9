package dev.shardman.localcluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every selectable major version besides the default starts and reports its version (one instance each). */
class MajorVersionsIT {

    @ParameterizedTest
    @ValueSource(ints = {15, 16, 18})
    void startsAndReportsItsVersion(int major) throws IOException {
        Path directory = Files.createTempDirectory("shardman-pg" + major + "-");
        LocalCluster cluster = new LocalCluster();
        try {
            UpResult result = cluster.up(new LocalClusterConfig(directory, 0, PostgresMajorVersion.of(major),
                    FreePorts.findBlock(1)));

            assertEquals(1, result.instances().size());
            assertTrue(result.instances().get(0).serverVersion().startsWith(major + "."), result.toString());
            assertEquals(StartOutcome.STARTED, result.instances().get(0).outcome());
        } finally {
            cluster.down(directory);
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
