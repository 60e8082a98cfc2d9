package dev.shardman.bench.chaos;

import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;

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

    private final Path directory;
    private final Map<String, InstanceReport> instances;
    /** Processes stopped per instance, so that SIGCONT reaches every one of them (the postmaster cannot fork while stopped). */
    private final Map<String, List<ProcessHandle>> stopped = new ConcurrentHashMap<>();

    private ChaosCluster(Path directory, List<InstanceReport> instances) {
        this.directory = directory;
        this.instances = instances.stream().collect(Collectors.toMap(InstanceReport::name, instance -> instance));
    }

    /** Starts a fresh copy of {@code template} in {@code directory}. */
    static ChaosCluster start(Path directory, ClusterTemplate template) throws IOException {
        LocalClusterConfig config = template.copyTo(directory);
        return new ChaosCluster(directory, new LocalCluster().up(config).instances());
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

    /** SIGKILL of every process of the instance, waiting until all are gone. */
    void kill(String name) throws IOException, InterruptedException {
        List<ProcessHandle> processes = processes(name);
        resume(name);
        for (ProcessHandle process : processes) {
            signal(process, "KILL");
        }
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
        for (ProcessHandle process : processes) {
            signal(process, "CONT");
        }
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
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private List<ProcessHandle> processes(String name) throws IOException {
        Path pidFile = instance(name).dataDirectory().resolve("postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException(name + ": no postmaster with pid " + pid));
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(postmaster);
        processes.addAll(postmaster.descendants().toList());
        return processes;
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
