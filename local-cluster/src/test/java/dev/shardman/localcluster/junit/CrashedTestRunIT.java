package dev.shardman.localcluster.junit;

import dev.shardman.localcluster.PostgresMajorVersion;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A test JVM that dies leaves no postmaster behind: its shutdown hook, or else the next run, stops them. */
class CrashedTestRunIT {

    @Test
    void terminatedTestRunStopsItsClusterInTheShutdownHook() throws Exception {
        Process child = startCrashingRun();
        Path directory = awaitDirectory(child);
        assertFalse(postgresProcessesOf(directory).isEmpty(), "the child's cluster should be running");

        child.destroy();

        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(List.of(), postgresProcessesOf(directory));
        assertFalse(Files.exists(directory), directory + " should be deleted");
    }

    @Test
    void killedTestRunIsCleanedByTheNextOne() throws Exception {
        Process child = startCrashingRun();
        Path directory = awaitDirectory(child);

        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertFalse(postgresProcessesOf(directory).isEmpty(), "SIGKILL runs no hooks: the servers are still up");

        try (RunningTestCluster next = RunningTestCluster.start(0, PostgresMajorVersion.DEFAULT)) {
            assertNotEquals(directory, next.directory());
            assertEquals(List.of(), postgresProcessesOf(directory));
            assertFalse(Files.exists(directory), directory + " should be deleted");
        }
    }

    private static Process startCrashingRun() throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClusterOfACrashingTestRun.class.getName())
                .redirectErrorStream(true)
                .start();
    }

    private static Path awaitDirectory(Process child) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("directory ")) {
                return Path.of(line.substring("directory ".length()));
            }
        }
        throw new AssertionError("the child ended without starting its cluster");
    }

    private static List<String> postgresProcessesOf(Path directory) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.stream(arguments).anyMatch(argument -> argument.contains(directory.toString())))
                        .orElse(false))
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
    }
}
