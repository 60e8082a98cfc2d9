package dev.shardman.cli.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shardman apply --auto-approve} in a child JVM with the test-only fault hook
 * ({@code SHARDMAN_FAULT=<step-id>@<point>}): the child must die by SIGKILL (exit 137) at that point, as a
 * crashed applier would; the output it printed until then is returned.
 */
public final class KilledApply {
    private KilledApply() {
    }

    public static String at(Path directory, Path spec, String fault) throws IOException, InterruptedException {
        return running(directory, fault, "apply", "-f", spec.toString(), "--auto-approve");
    }

    /** Any shardman command line ({@code arguments}) in a child JVM that must die by SIGKILL at {@code fault}. */
    public static String running(Path directory, String fault, String... arguments) throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, arguments[0], ".log");
        Process child = ChildCli.start(log, Map.of("SHARDMAN_FAULT", fault), arguments);
        assertTrue(child.waitFor(ChildCli.HANG_GUARD_SECONDS, TimeUnit.SECONDS), arguments[0] + " with " + fault + " finished");
        String output = Files.readString(log);
        assertEquals(137, child.exitValue(), "killed by SIGKILL at " + fault + ":\n" + output);
        return output;
    }
}
