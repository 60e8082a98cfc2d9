package dev.shardman.cli.operations;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the packaged CLI loads at run time (its manifest's Class-Path, as `./shardman` runs it): no test library. */
class ShippedClasspathIT {
    private static final Path JAR = Path.of("target/shardman.jar");

    @Test
    void theCliJarRunsWithoutJUnit() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built in the package phase, before this test");
        List<String> classPath = classPath();
        assertTrue(classPath.stream().anyMatch(entry -> entry.contains("shardman-applier")), "the runtime dependencies are listed: " + classPath);
        assertTrue(classPath.stream().anyMatch(entry -> entry.contains("picocli")), "the runtime dependencies are listed: " + classPath);
        assertFalse(classPath.stream().anyMatch(entry -> entry.contains("junit") || entry.contains("opentest4j") || entry.contains("apiguardian")),
                "a test library ships with the CLI: " + classPath);
    }

    private static List<String> classPath() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Manifest manifest = jar.getManifest();
            String value = manifest.getMainAttributes().getValue("Class-Path");
            return value == null ? List.of() : Arrays.asList(value.trim().split("\\s+"));
        }
    }
}
