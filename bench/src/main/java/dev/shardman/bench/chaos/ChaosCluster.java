package dev.shardman.bench.chaos;

import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.LocalClusterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One round's local cluster (shardlord + w1..w5), a fresh copy of the suite's {@link ClusterTemplate} in its own
 * directory, with the signals the faults need: a whole instance (postmaster and every
 * child) is SIGKILLed, SIGSTOPped or SIGCONTed at once, as a machine crash or a network partition would freeze it.
 */
final class ChaosCluster implements AutoCloseable {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
    private static final Duration PORT_WAIT = Duration.ofSeconds(60);

    private final Path directory;
    private final Map<String, InstanceReport> instances;
    /** Processes stopped per instance, so that SIGCONT reaches every one of them (the postmaster cannot fork while stopped). */
    private final Map<String, List<ProcessHandle>> stopped = new ConcurrentHashMap<>();

    private ChaosCluster(Path directory, List<InstanceReport> instances) {
        this.directory = directory;
        this.instances = instances.stream().collect(Collectors.toMap(InstanceReport::name, instance -> instance));
    }

    /**
     * Starts a fresh copy of {@code template} in {@code directory}. A busy port is waited for, up to {@link #PORT_WAIT}:
     * another suite's throw-away cluster may have taken it between two rounds.
     */
    static ChaosCluster start(Path directory, ClusterTemplate template) throws IOException, InterruptedException {
        LocalClusterConfig config = template.copyTo(directory);
        long deadline = System.nanoTime() + PORT_WAIT.toNanos();
        while (true) {
            try {
                return new ChaosCluster(directory, new LocalCluster().up(config).instances());
            } catch (LocalClusterException e) {
                new LocalCluster().down(directory);
                if (System.nanoTime() > deadline) {
                    deleteRecursively(directory);
                    throw e;
                }
                Thread.sleep(2_000);
            }
        }
    }

    InstanceReport instance(String name) {
        InstanceReport instance = instances.get(name);
        if (instance == null) {
            throw new IllegalArgumentException("no instance " + name);
        }
        return instance;
    }

    int port(String name) {
        return instance(name).port();
    }

    String conninfo(String name) {
        return "host=127.0.0.1 port=" + port(name) + " dbname=postgres user=postgres";
    }

    /**
     * SIGKILL of every process of the instance, waiting until all are gone. The postmaster is stopped first, so that it
     * forks no child between the listing and the kill (a child forked after it, e.g. for a connection queued while the
     * instance was paused, would outlive it and keep its port).
     */
    void kill(String name) throws IOException, InterruptedException {
        ProcessHandle postmaster = postmaster(name);
        signal(postmaster, "STOP");
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(postmaster);
        processes.addAll(postmaster.descendants().toList());
        for (ProcessHandle process : processes) {
            signal(process, "KILL");
        }
        stopped.remove(name);
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the processes of " + name + " did not exit after SIGKILL");
            }
            Thread.sleep(50);
        }
    }

    /** SIGSTOP of every process of the instance (postmaster first, so that it forks no new child meanwhile). */
    void pause(String name) throws IOException {
        signal(postmaster(name), "STOP");
        List<ProcessHandle> processes = processes(name);
        stopped.put(name, processes);
        for (ProcessHandle process : processes) {
            signal(process, "STOP");
        }
    }

    /** SIGCONT of what {@link #pause} stopped; nothing when the instance is not stopped. */
    void resume(String name) throws IOException {
        List<ProcessHandle> processes = stopped.remove(name);
        if (processes == null) {
            return;
        }
        // the postmaster last: continued first, it could reap a child that had exited before the pause (a zombie
        // meanwhile) and free its pid for a new process that would then get a SIGCONT meant for another
        for (ProcessHandle process : processes.subList(1, processes.size())) {
            signal(process, "CONT");
        }
        signal(processes.get(0), "CONT");
    }

    /**
     * A crash restart without losing the postmaster: SIGKILL of every child makes the postmaster end all sessions and
     * run crash recovery, as after a server crash (starting a killed postmaster again would go through
     * {@link LocalCluster#up}, which would also start a worker the round killed on purpose). Waits until it answers.
     */
    void crashRestart(String name) throws IOException, InterruptedException {
        List<ProcessHandle> processes = processes(name);
        for (ProcessHandle child : processes.subList(1, processes.size())) {
            signal(child, "KILL");
        }
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos() * 2;
        while (true) {
            try {
                ChaosSql.rows(port(name), "SELECT 1");
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " does not answer after its crash restart: " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Throws the round's servers away: SIGKILL of every instance still running (no shutdown checkpoint), then delete. */
    @Override
    public void close() throws IOException {
        for (String name : List.copyOf(stopped.keySet())) {
            resume(name);
        }
        for (String name : instances.keySet()) {
            try {
                kill(name);
            } catch (IOException | RuntimeException alreadyDead) {
                // killed by the round, or never started: nothing to stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping " + name, e);
            }
        }
        new LocalCluster().down(directory);
        deleteRecursively(directory);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private List<ProcessHandle> processes(String name) throws IOException {
        ProcessHandle postmaster = postmaster(name);
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(postmaster);
        processes.addAll(postmaster.descendants().toList());
        return processes;
    }

    private ProcessHandle postmaster(String name) throws IOException {
        Path pidFile = instance(name).dataDirectory().resolve("postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElseThrow(() -> new IOException(name + ": no postmaster with pid " + pid));
    }

    private static void signal(ProcessHandle process, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending SIG" + signal, e);
        }
    }
}
