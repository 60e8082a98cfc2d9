package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A worker frozen with SIGSTOP (its postmaster and every child: backends, walsenders, replication workers), as a
 * hung machine or a network partition looks to its peers: TCP still accepts, nothing answers. {@link #resume()}
 * sends SIGCONT to the same processes; call it in a {@code finally} so that the harness can clean up.
 */
public final class StoppedWorker {
    private final List<Long> processes;
    private boolean stopped = true;

    private StoppedWorker(List<Long> processes) {
        this.processes = List.copyOf(processes);
    }

    public static StoppedWorker stop(TestCluster cluster, int worker) throws IOException, InterruptedException {
        assumeTrue(cluster.serversAreLocalProcesses(), "signals the postmaster of w" + worker + " by its pid: needs the embedded test servers");
        Path pidFile = cluster.serverLog(cluster.worker(worker)).getParent().resolve("data").resolve("postmaster.pid");
        long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        List<Long> processes = new ArrayList<>();
        processes.add(postmaster);
        // the postmaster first, so that it forks nothing new while its children are being stopped
        signal("-STOP", List.of(postmaster));
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(child -> processes.add(child.pid()));
        signal("-STOP", processes);
        return new StoppedWorker(processes);
    }

    public void resume() throws IOException, InterruptedException {
        if (stopped) {
            // the children first: a child that had exited before the stop is a zombie only while its postmaster is
            // stopped; continued first, the postmaster would reap it and the same kill would find no such process
            if (processes.size() > 1) {
                signal("-CONT", processes.subList(1, processes.size()));
            }
            signal("-CONT", processes.subList(0, 1));
            stopped = false;
        }
    }

    /** {@code kill signal processes}, asserting that it succeeded. */
    public static void signal(String signal, List<Long> processes) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        processes.forEach(pid -> command.add(Long.toString(pid)));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS), "kill " + signal + " returned");
        assertEquals(0, kill.exitValue(), "kill " + signal + " " + processes);
    }
}
