package dev.shardman.bench.chaos;

import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.LocalCluster;
import dev.shardman.localcluster.LocalClusterConfig;
import dev.shardman.localcluster.LocalClusterException;
import dev.shardman.localcluster.PostgresMajorVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One round's local cluster (shardlord + w1..w5) in its own directory, on a random base port in 56000-59000 (never
 * the defaults, which other people use), with the signals the faults need: a whole instance (postmaster and every
 * child) is SIGKILLed, SIGSTOPped or SIGCONTed at once, as a machine crash or a network partition would freeze it.
 */
final class ChaosCluster implements AutoCloseable {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
    private static final Random PORTS = new Random();

    private final Path directory;
    private final LocalClusterConfig config;
    private final Map<String, InstanceReport> instances;
    /** Processes stopped per instance, so that SIGCONT reaches every one of them (the postmaster cannot fork while stopped). */
    private final Map<String, List<ProcessHandle>> stopped = new ConcurrentHashMap<>();

    private ChaosCluster(Path directory, LocalClusterConfig config, List<InstanceReport> instances) {
        this.directory = directory;
        this.config = config;
        this.instances = instances.stream().collect(Collectors.toMap(InstanceReport::name, instance -> instance));
    }

    /** Starts the cluster, trying another base port when one is taken. */
    static ChaosCluster start(Path directory, int workers) throws IOException {
        LocalClusterException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            Path attemptDirectory = directory.resolve("cluster-" + attempt);
            int basePort = 56000 + PORTS.nextInt(3000 - workers);
            LocalClusterConfig config = new LocalClusterConfig(attemptDirectory, workers, PostgresMajorVersion.DEFAULT, basePort);
            try {
                return new ChaosCluster(attemptDirectory, config, new LocalCluster().up(config).instances());
            } catch (LocalClusterException e) {
                last = e;
                new LocalCluster().down(attemptDirectory);
            }
        }
        throw new IOException("no local cluster started in 5 attempts", last);
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

    /** Kills the instance and starts it again: crash recovery, as a power cut of its machine. */
    void crashRestart(String name) throws IOException, InterruptedException {
        kill(name);
        new LocalCluster().up(config);
    }

    @Override
    public void close() throws IOException {
        for (String name : List.copyOf(stopped.keySet())) {
            resume(name);
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
