package dev.shardman.cli.command;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.execute.ApplyEngine;
import dev.shardman.applier.execute.DriftCheck;
import dev.shardman.applier.execute.DriftReport;
import dev.shardman.applier.execute.FaultHook;
import dev.shardman.applier.monitor.MetricsServer;
import dev.shardman.applier.monitor.Monitor;
import dev.shardman.applier.monitor.MonitorEvent;
import dev.shardman.applier.monitor.MonitorMetrics;
import dev.shardman.applier.monitor.MonitorOptions;
import dev.shardman.applier.failover.AutomaticFailover;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.monitor.NodeDownResponder;
import dev.shardman.applier.monitor.PollResult;
import dev.shardman.cli.render.MonitorEventLines;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code shardman monitor}: polls every node each {@code --interval}, prints events as lines (JSON lines with
 * {@code --json}), breaks global deadlocks, serves {@code /metrics} with {@code --metrics-port}. Runs until stopped;
 * {@code --once} polls once (twice when a wait cycle needs its confirming poll) and exits 0 when healthy, 2 when
 * something was reported, 1 on error.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch the cluster: node up/down, global deadlocks (broken), stale prepared transactions, Prometheus metrics.")
public final class MonitorCommand implements Callable<Integer> {
    @Mixin
    SpecFileOption specFile;

    @Mixin
    OutputOptions output;

    @Option(names = "--interval", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time between polls, e.g. 1s, 500ms (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--once", description = "One poll (two when a deadlock needs confirming), then exit: 0 healthy, 2 something reported.")
    boolean once;

    @Option(names = "--metrics-port", paramLabel = "N", description = "Serve Prometheus metrics on http://0.0.0.0:N/metrics.")
    Optional<Integer> metricsPort;

    @Option(names = "--prepared-age", defaultValue = "5m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Report shardman prepared transactions older than this (default: ${DEFAULT-VALUE}).")
    Duration preparedAge;

    @Option(names = "--lease", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the active monitor's lease lasts without renewal; a standby takes over after it (default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(names = "--drift-every", defaultValue = "12", paramLabel = "N",
            description = "Run a drift-check every N polls for the shardman_drift_objects metric; 0 never (default: ${DEFAULT-VALUE}).")
    int driftEvery;

    @Spec
    CommandSpec spec;

    private ClusterSpec clusterSpec;
    private ConnectionFactory factory;
    private long polls;

    /** Counted down by SIGTERM / SIGINT (a shutdown hook): the loop ends after its current poll and releases the lease. */
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once the monitor is closed (lease released): the shutdown hook waits for it, not for the thread, which main's System.exit blocks. */
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * Refuses a spec whose shardlord holds another cluster: this monitor would watch that cluster's nodes (its failovers
     * check it again). A shardlord that does not answer yet is left to the polls, which wait it out.
     */
    private void requireSpecCluster() {
        Connection shardlord;
        try {
            shardlord = factory.connect(ConnectionTarget.shardlord(clusterSpec.shardlord()));
        } catch (ShardmanException notYet) {
            return;
        }
        try (shardlord) {
            MetadataStore.requireCluster(shardlord, clusterSpec.cluster());
        } catch (SQLException closing) {
            // read-only: the check itself has its answer
        }
    }

    @Override
    public Integer call() {
        MonitorOptions options = options();
        clusterSpec = SpecInput.load(specFile.file(), spec.commandLine().getErr());
        factory = ConnectionFactory.fromEnvironment(Monitor.APPLICATION_NAME).withNodeTimeout(clusterSpec.settings().nodeTimeout());
        requireSpecCluster();
        MonitorMetrics metrics = new MonitorMetrics();
        Thread onSignal = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(factory.timeouts().connect().plus(factory.timeouts().socketRead()).multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // the JVM exits anyway; the lease then expires on its own
            }
        }, "shardman-monitor-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        NodeDownResponder responder = NodeDownResponder.failingOver(
                new AutomaticFailover(factory, factory.secrets(), FaultHook.fromProcess(), clusterSpec));
        try (Monitor monitor = new Monitor(factory, clusterSpec.shardlord(), options, responder,
                () -> ApplyEngine.fromEnvironment().resolveDecidedTransactions(clusterSpec));
             MetricsServer server = metricsPort.isPresent() ? MetricsServer.start(metricsPort.get(), metrics) : null) {
            return once ? pollOnce(monitor, metrics) : pollForever(monitor, metrics);
        } catch (IOException cannotListen) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "cannot serve metrics on port " + metricsPort.orElse(0) + ": "
                    + cannotListen.getMessage(), "choose a free port");
        } finally {
            closed.countDown();
            removeHook(onSignal);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for this thread
        }
    }

    private MonitorOptions options() {
        try {
            return new MonitorOptions(interval, preparedAge, lease);
        } catch (IllegalArgumentException invalid) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), invalid.getMessage());
        }
    }

    private int pollOnce(Monitor monitor, MonitorMetrics metrics) {
        PollResult first = poll(monitor, metrics);
        if (!monitor.deadlockPending()) {
            return first.healthy() ? ExitCodes.SUCCESS : ExitCodes.CHANGES_PENDING;
        }
        if (!sleep(interval)) {
            return ExitCodes.ERROR;
        }
        PollResult second = poll(monitor, metrics);
        return first.healthy() && second.healthy() ? ExitCodes.SUCCESS : ExitCodes.CHANGES_PENDING;
    }

    private int pollForever(Monitor monitor, MonitorMetrics metrics) {
        while (true) {
            long started = System.nanoTime();
            poll(monitor, metrics);
            Duration rest = interval.minusNanos(System.nanoTime() - started);
            if (!sleep(rest.isNegative() ? Duration.ZERO : rest)) {
                return ExitCodes.SUCCESS;
            }
        }
    }

    private PollResult poll(Monitor monitor, MonitorMetrics metrics) {
        PollResult result = monitor.poll();
        metrics.record(result);
        if (!once && result.active() && driftEvery > 0 && polls++ % driftEvery == 0) {
            countDrift(metrics);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (MonitorEvent event : result.events()) {
            out.println(output.json() ? MonitorEventLines.json(event) : MonitorEventLines.text(event));
        }
        out.flush();
        return result;
    }

    /** The drift-check's objects out of place (read-only, as {@code drift-check}); a failed check leaves the last count. */
    private void countDrift(MonitorMetrics metrics) {
        try {
            metrics.driftObjects(new DriftCheck(factory).check(clusterSpec, List.of(), Duration.ofHours(1)).drift().stream()
                    .collect(Collectors.groupingBy(DriftReport.Drift::code, Collectors.counting())));
        } catch (RuntimeException failed) { // a metric must never stop the monitor
            spec.commandLine().getErr().println("drift-check for the metrics failed: " + failed.getMessage());
        }
    }

    /** False when the process is stopping (or this thread was interrupted). */
    private boolean sleep(Duration duration) {
        try {
            return !stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
