package dev.shardman.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * One chaos round (see {@link ChaosSuite}): a fresh cluster, the initial apply, writers, the scenario's apply with its
 * fault, convergence (apply, then recover, up to {@link #ATTEMPTS} times, each command bounded), then the checks.
 */
final class ChaosRound {
    static final int ATTEMPTS = 5;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(150);
    private static final long WARM_UP_MS = 1_500;
    /** How long the scenario's apply may take to print its plan before the fault's clock starts anyway. */
    private static final Duration PLAN_WAIT = Duration.ofSeconds(30);

    private final RoundPlan plan;
    private final Path directory;
    private final ClusterTemplate template;
    private final Cli cli;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> killed = new TreeSet<>();
    private long faultAtMs;
    private boolean faultHit;

    ChaosRound(RoundPlan plan, Path directory, ClusterTemplate template, Path jar) {
        this.plan = plan;
        this.directory = directory;
        this.template = template;
        this.cli = new Cli(jar, directory);
    }

    RoundResult run() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(directory);
        try (ChaosCluster cluster = ChaosCluster.start(directory.resolve("cluster"), template)) {
            try {
                return play(cluster, started);
            } finally {
                saveServerLogs(cluster);
            }
        }
    }

    private RoundResult play(ChaosCluster cluster, long started) throws Exception {
        List<String> initial = workers(plan.scenario().initialWorkers());
        Path initialSpec = ChaosSpec.write(directory.resolve("initial.yaml"), cluster, initial, Set.of(), plan.sync(), ChaosSpec.Tables.initial());
        Cli.Result setUp = cli.run(COMMAND_TIMEOUT, "apply", "-f", initialSpec.toString(), "--auto-approve");
        if (!setUp.ok()) {
            throw new IllegalStateException("the initial apply failed (a harness or environment problem): " + setUp + "\n" + setUp.tail(15));
        }
        Writers writers = new Writers();
        writers.start(writerPorts(cluster, initial));
        Thread.sleep(WARM_UP_MS);
        if (plan.scenario() == Scenario.FAILOVER) {
            cluster.kill(plan.target());
            killed.add(plan.target());
        }
        ChaosSpec.Tables scenarioTables = tables(Set.copyOf(killed));
        Path scenarioSpec = ChaosSpec.write(directory.resolve("scenario.yaml"), cluster, scenarioNodes(), killed, plan.sync(), scenarioTables);
        Cli.Running apply = cli.start("apply", "-f", scenarioSpec.toString(), "--auto-approve", "--parallelism", Integer.toString(plan.parallelism()));
        inject(cluster, apply);
        Cli.Result scenario = apply.await(COMMAND_TIMEOUT);
        if (scenario.timedOut()) {
            problems.add("the scenario's apply hung: " + scenario);
        }
        List<String> finalNodes = workers(RoundPlan.WORKERS).stream()
                .filter(node -> scenarioNodes().contains(node) || killed.contains(node)).toList();
        Path finalSpec = ChaosSpec.write(directory.resolve("final.yaml"), cluster, finalNodes, killed, plan.sync(), tables(Set.copyOf(killed)));
        int attempts = converge(finalSpec);
        boolean converged = attempts <= ATTEMPTS;
        writers.stop();
        if (System.getenv(Sabotage.VARIABLE) != null) {
            Sabotage.breakInvariants(cluster, writers.acknowledged());
        }
        Invariants.Report report = invariants(cluster, writers);
        cliChecks(finalSpec);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        return new RoundResult(plan, faultAtMs, faultHit, Math.min(attempts, ATTEMPTS), converged, writers.acknowledgedCount(), report.lost(),
                report.duplicated(), !killed.isEmpty(), seconds, List.copyOf(problems), directory.toString());
    }

    /** Waits for the fault's moment, counted from the apply's plan (or its end, whichever first), and injects the fault. */
    private void inject(ChaosCluster cluster, Cli.Running apply) throws Exception {
        apply.awaitLine("Plan:", PLAN_WAIT);
        long start = System.nanoTime();
        long deadline = start + plan.faultDelayMs() * 1_000_000;
        while (System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        faultAtMs = (System.nanoTime() - start) / 1_000_000;
        faultHit = apply.isAlive();
        switch (plan.fault()) {
            case APPLIER_KILL -> apply.kill();
            case WORKER_KILL -> {
                cluster.kill(plan.faultTarget());
                killed.add(plan.faultTarget());
            }
            case WORKER_PAUSE, WORKER_PARTITION -> {
                cluster.pause(plan.faultTarget());
                try {
                    Thread.sleep(plan.pauseMs());
                } finally {
                    cluster.resume(plan.faultTarget());
                }
            }
            case SHARDLORD_RESTART -> cluster.crashRestart("shardlord");
            case WORKER_RESTART -> cluster.crashRestart(plan.faultTarget());
        }
    }

    /** Apply, and recover after a failed apply, until an apply succeeds: the attempt that did, or ATTEMPTS + 1 if none. */
    private int converge(Path finalSpec) throws Exception {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Cli.Result apply = cli.run(COMMAND_TIMEOUT, "apply", "-f", finalSpec.toString(), "--auto-approve", "--parallelism",
                    Integer.toString(plan.parallelism()));
            if (apply.ok()) {
                return attempt;
            }
            if (apply.timedOut()) {
                problems.add("a convergence apply hung: " + apply);
            }
            Cli.Result recover = cli.run(COMMAND_TIMEOUT, "recover", "-f", finalSpec.toString());
            if (recover.timedOut()) {
                problems.add("a recover hung: " + recover);
            }
            if (attempt == ATTEMPTS) {
                problems.add("did not converge in " + ATTEMPTS + " attempts; the last apply: " + apply + "\n" + apply.tail(12));
            }
            Thread.sleep(2_000);
        }
        return ATTEMPTS + 1;
    }

    /**
     * The checks of {@link Invariants}; a node they cannot read (e.g. one the metadata still counts live because the
     * failover never committed) fails the round with the reason, keeping what convergence found.
     */
    private Invariants.Report invariants(ChaosCluster cluster, Writers writers) {
        try {
            Invariants.Report report = new Invariants(cluster).check(writers.acknowledged(), writers.uncertain(), writers.edits());
            problems.addAll(report.problems());
            return report;
        } catch (SQLException e) {
            problems.add("the checks could not read the cluster (rows lost and duplicated not counted): " + e.getMessage());
            return new Invariants.Report(0, 0, List.of());
        }
    }

    /** verify, drift-check and plan side by side (all read-only): each must exit 0. */
    private void cliChecks(Path finalSpec) throws Exception {
        List<Cli.Running> checks = List.of(cli.start("verify", "-f", finalSpec.toString()), cli.start("drift-check", "-f", finalSpec.toString()),
                cli.start("plan", "-f", finalSpec.toString(), "--detailed-exitcode"));
        for (Cli.Running running : checks) {
            check(running.await(COMMAND_TIMEOUT));
        }
    }

    private void check(Cli.Result result) throws IOException {
        if (!result.ok()) {
            problems.add(result + "\n" + result.tail(12));
        }
    }

    /**
     * The tables as the round's {@link Change} makes them; the shared table's master is w1, or w2 when the change moves
     * it, unless that node is drained or {@code killed}: then the first node left.
     */
    private ChaosSpec.Tables tables(Set<String> killed) {
        String preferred = plan.change() == Change.SHARED_MASTER ? "w2" : "w1";
        List<String> candidates = new ArrayList<>(List.of(preferred));
        candidates.addAll(scenarioNodes());
        String master = candidates.stream().filter(node -> scenarioNodes().contains(node) && !killed.contains(node)).findFirst().orElseThrow();
        return new ChaosSpec.Tables(plan.change() == Change.ADD_COLUMN, plan.change() == Change.MORE_REDUNDANCY ? 2 : 1, master,
                plan.change() == Change.COLOCATED_TABLE);
    }

    /** The nodes of the scenario's spec: a drained node is gone from it, a failed-over one stays (lost). */
    private List<String> scenarioNodes() {
        return workers(RoundPlan.WORKERS).stream()
                .filter(node -> !(plan.scenario() == Scenario.DRAIN && node.equals(plan.target())))
                .toList();
    }

    /** A writer through every initial node but a drained one (writes through a node that left the cluster are not its business). */
    private Map<String, Integer> writerPorts(ChaosCluster cluster, List<String> initial) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        initial.stream().filter(node -> !(plan.scenario() == Scenario.DRAIN && node.equals(plan.target())))
                .forEach(node -> ports.put(node, cluster.port(node)));
        return ports;
    }

    private static List<String> workers(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(index -> "w" + index).toList();
    }

    private void saveServerLogs(ChaosCluster cluster) {
        for (String name : List.of("shardlord", "w1", "w2", "w3", "w4", "w5")) {
            Path log = cluster.instance(name).dataDirectory().resolveSibling("postgres.log");
            try {
                if (Files.exists(log)) {
                    Files.copy(log, directory.resolve("server-" + name + ".log"));
                }
            } catch (IOException ignored) {
                // evidence only: a missing server log does not change the round's verdict
            }
        }
    }
}
