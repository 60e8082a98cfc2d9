package dev.shardman.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chaos suite of issue 10 (item 7), run by {@code bench/run-chaos.sh ROUNDS [SEED]}, never by {@code mvn verify}.
 * Each round starts its own local cluster (shardlord + w1..w5 on a random base port in 56000-59000, its own directory
 * under /tmp), applies a small table (6 partitions, redundancy 1, synchronous replication in about half the rounds,
 * {@code apply --parallelism 4} in about half),
 * starts writers that log every acknowledged id, runs a random scenario ({@link Scenario}) through the real CLI as a
 * child process, and injects a random fault ({@link Fault}) at a random moment of that apply. Then it converges
 * (apply, recover after a failure; bounded attempts, each command bounded) and checks ({@link Invariants}, plus
 * {@code verify}, {@code drift-check} and {@code plan --detailed-exitcode}, each of which must exit 0).
 *
 * <p>Round {@code i} (from 0) of {@code run-chaos.sh N S} has seed {@code S + i}: {@code run-chaos.sh 1 <seed>} replays
 * the choices of that round (scenario, fault, target, moment); process timing on a loaded machine is not replayable.
 */
public final class ChaosSuite {
    private ChaosSuite() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length < 1) {
            System.err.println("usage: run-chaos.sh ROUNDS [SEED]");
            System.exit(64);
        }
        int rounds = Integer.parseInt(arguments[0]);
        long seed = arguments.length > 1 ? Long.parseLong(arguments[1]) : System.currentTimeMillis() % 1_000_000;
        Path jar = Path.of(System.getProperty("chaos.jar", "cli/target/shardman.jar")).toAbsolutePath();
        Path base = Files.createTempDirectory("shardman-chaos-" + seed + "-");
        ClusterTemplate template = ClusterTemplate.create(base, RoundPlan.WORKERS);
        System.out.printf("chaos: %d round(s) from seed %d; logs under %s; clusters on ports %d-%d%n", rounds, seed, base, template.basePort(),
                template.basePort() + RoundPlan.WORKERS);
        List<RoundResult> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            RoundPlan plan = RoundPlan.draw(seed + round);
            Path directory = base.resolve("round-" + plan.seed());
            RoundResult result;
            try {
                result = new ChaosRound(plan, directory, template, jar).run();
            } catch (Exception | AssertionError e) {
                result = new RoundResult(plan, 0, false, 0, false, 0, 0, 0, false, 0,
                        List.of("harness error: " + e), directory.toString());
            }
            results.add(result);
            System.out.println(result.line());
            if (!result.passed()) {
                result.problems().forEach(problem -> System.out.println("    " + problem.replace("\n", "\n      ")));
                System.out.println("    logs: " + result.logDirectory());
            }
        }
        template.delete();
        summary(results, seed);
    }

    private static void summary(List<RoundResult> results, long seed) {
        Map<String, int[]> byFault = new TreeMap<>();
        for (RoundResult result : results) {
            int[] counts = byFault.computeIfAbsent(result.plan().fault().label(), label -> new int[2]);
            counts[0]++;
            counts[1] += result.passed() ? 1 : 0;
        }
        long converged = results.stream().filter(RoundResult::converged).count();
        long passed = results.stream().filter(RoundResult::passed).count();
        long acknowledged = results.stream().mapToLong(RoundResult::acknowledged).sum();
        long lost = results.stream().mapToLong(RoundResult::lost).sum();
        long excused = results.stream().filter(RoundResult::lossExcused).mapToLong(RoundResult::lost).sum();
        long duplicated = results.stream().mapToLong(RoundResult::duplicated).sum();
        System.out.println();
        System.out.printf("summary: seed %d, %d rounds, %d converged, %d passed, %d failed%n", seed, results.size(), converged, passed,
                results.size() - passed);
        StringBuilder faults = new StringBuilder();
        byFault.forEach((label, counts) -> faults.append(faults.length() == 0 ? "" : ", ").append(label).append(' ').append(counts[1])
                .append('/').append(counts[0]));
        System.out.println("faults (passed/rounds): " + faults);
        System.out.printf("with --parallelism 4 (moves in waves): %d passed of %d rounds%n",
                results.stream().filter(result -> result.plan().parallelism() > 1 && result.passed()).count(),
                results.stream().filter(result -> result.plan().parallelism() > 1).count());
        System.out.printf("rows: %d acknowledged, %d lost (%d of them in asynchronous rounds that lost a node), %d duplicated%n", acknowledged,
                lost, excused, duplicated);
        System.out.println("failed seeds: " + results.stream().filter(result -> !result.passed()).map(result -> result.plan().seed()).toList());
    }
}
