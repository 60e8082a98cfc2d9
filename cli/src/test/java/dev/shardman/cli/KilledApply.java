package dev.shardman.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shardman apply --auto-approve} in a child JVM with the test-only fault hook
 * ({@code SHARDMAN_FAULT=<step-id>@<point>}): the child must die by SIGKILL (exit 137) at that point, as a
 * crashed applier would; the output it printed until then is returned.
 */
final class KilledApply {
    private KilledApply() {
    }

    static String at(Path directory, Path spec, String fault) throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, "apply", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShardmanMain.class.getName(), "apply", "-f", spec.toString(), "--auto-approve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SHARDMAN_FAULT", fault);
        Process child = builder.start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "apply with " + fault + " finished");
        String output = Files.readString(log);
        assertEquals(137, child.exitValue(), "killed by SIGKILL at " + fault + ":\n" + output);
        return output;
    }
}
