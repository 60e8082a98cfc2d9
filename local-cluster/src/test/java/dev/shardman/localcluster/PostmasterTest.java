package dev.shardman.localcluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pid file alone does not make a running server. */
class PostmasterTest {
    @TempDir
    Path dataDirectory;

    @Test
    void noPidFileMeansStopped() {
        assertTrue(Postmaster.find(dataDirectory).isEmpty());
    }

    @Test
    void aPidFileOfAnotherProgramMeansStopped() throws IOException {
        // This JVM is alive but is not a postgres of this data directory: a reused pid after a crash.
        writePidFile(ProcessHandle.current().pid());
        assertTrue(Postmaster.find(dataDirectory).isEmpty());
    }

    @Test
    void aPidFileOfADeadProcessMeansStopped() throws IOException, InterruptedException {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        writePidFile(finished.pid());
        assertTrue(Postmaster.find(dataDirectory).isEmpty());
    }

    private void writePidFile(long pid) throws IOException {
        Files.writeString(dataDirectory.resolve(Postmaster.PID_FILE),
                pid + "\n" + dataDirectory + "\n1700000000\n17431\n\n127.0.0.1\n  1  2\nready   \n");
    }
}
