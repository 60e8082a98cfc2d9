package dev.shardman.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * The chaos suite of issue 10 (item 7), run by {@code bench/run-chaos.sh ROUNDS [SEED]}, never by {@code mvn verify}.
 * Each round applies a small table on a fresh local cluster, starts writers, runs a random {@link Scenario} through the
 * real CLI with a random {@link Fault} injected, converges, and checks {@link Invariants} plus verify, drift-check and
 * plan. Round {@code i} of {@code run-chaos.sh N S} has seed {@code S + i}, so {@code run-chaos.sh 1 <seed>} replays
 * its choices (not its timing). Details: docs/internals/benchmarks.md, "Chaos suite".
 */
public final class ChaosSuite {
    private ChaosSuite() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length < 1) {
            System.err.println("usage: run-chaos.sh ROUNDS [SEED | SEED,SEED,...]");
            System.exit(64);
        }
        List<Long> seeds = seeds(Integer.parseInt(arguments[0]), arguments.length > 1 ? arguments[1] : "");
        if (seeds.isEmpty()) {
            System.err.println("no round to run: ROUNDS is 0 and no list of seeds (SEED,SEED,...) was given");
            System.exit(64);
        }
        int rounds = seeds.size();
        long seed = seeds.get(0);
        Path jar = Path.of(System.getProperty("chaos.jar", "cli/target/shardman.jar")).toAbsolutePath();
        Path base = Files.createTempDirectory("shardman-chaos-" + seed + "-");
        ClusterTemplate template = ClusterTemplate.create(base, RoundPlan.WORKERS);
        System.out.printf("chaos: %d round(s) from seed %d; logs under %s; clusters on ports %d-%d%n", rounds, seed, base, template.basePort(),
                template.basePort() + RoundPlan.WORKERS);
        List<RoundResult> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            RoundPlan plan = RoundPlan.draw(seeds.get(round));
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

    /** {@code rounds} seeds from {@code first} on (drawn when empty), or exactly the listed ones (e.g. a run's failed seeds, replayed). */
    private static List<Long> seeds(int rounds, String first) {
        if (first.contains(",")) {
            return Arrays.stream(first.split(",")).map(String::trim).map(Long::parseLong).toList();
        }
        long start = first.isEmpty() ? System.currentTimeMillis() % 1_000_000 : Long.parseLong(first);
        return LongStream.range(start, start + rounds).boxed().toList();
    }

    private static void summary(List<RoundResult> results, long seed) {
        Map<String, int[]> byFault = new TreeMap<>();
        Map<String, int[]> byChange = new TreeMap<>();
        for (RoundResult result : results) {
            count(byFault, result.plan().fault().label(), result);
            count(byChange, result.plan().change().label(), result);
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
        System.out.println("faults (passed/rounds): " + tally(byFault));
        System.out.println("table changes (passed/rounds): " + tally(byChange));
        System.out.printf("with --parallelism 4 (moves in waves): %d passed of %d rounds%n",
                results.stream().filter(result -> result.plan().parallelism() > 1 && result.passed()).count(),
                results.stream().filter(result -> result.plan().parallelism() > 1).count());
        System.out.printf("rows: %d acknowledged, %d lost (%d of them in asynchronous rounds that lost a node), %d duplicated%n", acknowledged,
                lost, excused, duplicated);
        System.out.println("failed seeds: " + results.stream().filter(result -> !result.passed()).map(result -> result.plan().seed()).toList());
    }

    private static void count(Map<String, int[]> counts, String label, RoundResult result) {
        int[] count = counts.computeIfAbsent(label, ignored -> new int[2]);
        count[0]++;
        count[1] += result.passed() ? 1 : 0;
    }

    private static String tally(Map<String, int[]> counts) {
        StringBuilder line = new StringBuilder();
        counts.forEach((label, count) -> line.append(line.length() == 0 ? "" : ", ").append(label).append(' ').append(count[1]).append('/').append(count[0]));
        return line.toString();
    }
}
