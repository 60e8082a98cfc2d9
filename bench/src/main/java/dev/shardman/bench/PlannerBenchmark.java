package dev.shardman.bench;

import dev.shardman.model.SourcePosition;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.ColumnSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.spec.PartitionPin;
import dev.shardman.model.spec.Positions;
import dev.shardman.model.spec.BalanceSettings;
import dev.shardman.model.spec.SettingsSpec;
import dev.shardman.model.spec.TableSpec;
import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.StateSnapshots;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanOptions;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.Planner;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.render.TextPlanRenderer;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;

import java.lang.management.GarbageCollectorMXBean;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The planner benchmark of issue 3: {@code Planner.plan} timed for a spec that adds one node to every group of a large
 * placed cluster (default 100 groups × 10 nodes, 200 tables × 1,024 partitions at redundancy 1), the full size and one
 * tenth side by side, interleaved after warm-up, medians. Peak heap is a sum of per-pool peaks
 * ({@link MemoryPoolMXBean#resetPeakUsage()}), an upper bound (docs/internals/benchmarks.md, "Planner benchmark").
 *
 * <p>Usage: {@code bench/run-planner.sh [groups nodesPerGroup tables partitions runs warmup]}.
 */
public final class PlannerBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();

    private PlannerBenchmark() {
    }

    /** One timed plan: wall time, CPU time of the planning thread, GC time during it, peak heap, heap in use before it. */
    record Sample(long nanos, long cpuNanos, long gcMillis, long peakBytes, long baselineBytes) {
    }

    /** A benchmark case: the state (already placed) and the spec that adds a node per group. */
    record Case(String label, ClusterState state, ClusterSpec grown, int copies) {
    }

    public static void main(String[] args) {
        int groups = argument(args, 0, 100);
        int nodesPerGroup = argument(args, 1, 10);
        int tables = argument(args, 2, 200);
        int partitions = argument(args, 3, 1024);
        int runs = argument(args, 4, 5);
        int warmup = argument(args, 5, 2);
        System.out.printf("machine: %d processors available, max heap %d MiB, %s %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"));

        Case small = prepare("small", groups, nodesPerGroup, Math.max(1, tables / 10), partitions);
        Case full = prepare("full", groups, nodesPerGroup, tables, partitions);

        Plan fullPlan = Planner.plan(full.grown(), full.state(), PlanOptions.DEFAULTS);
        describePlan(full, fullPlan);
        describePlan(small, Planner.plan(small.grown(), small.state(), PlanOptions.DEFAULTS));
        fullPlan = null;

        List<Sample> smallSamples = new ArrayList<>();
        List<Sample> fullSamples = new ArrayList<>();
        for (int run = 0; run < warmup + runs; run++) {
            boolean counted = run >= warmup;
            Sample smallSample = timePlan(small);
            Sample fullSample = timePlan(full);
            System.out.printf("%s %d: small %d ms (cpu %d ms, gc %d ms, peak %d MiB), full %d ms (cpu %d ms, gc %d ms, peak %d MiB, baseline %d MiB)%n",
                    counted ? "run" : "warm-up", counted ? run - warmup + 1 : run + 1, millis(smallSample.nanos()), millis(smallSample.cpuNanos()),
                    smallSample.gcMillis(), mebibytes(smallSample.peakBytes()), millis(fullSample.nanos()), millis(fullSample.cpuNanos()),
                    fullSample.gcMillis(), mebibytes(fullSample.peakBytes()), mebibytes(fullSample.baselineBytes()));
            if (counted) {
                smallSamples.add(smallSample);
                fullSamples.add(fullSample);
            }
        }
        long smallMedian = median(smallSamples.stream().map(Sample::nanos).toList());
        long fullMedian = median(fullSamples.stream().map(Sample::nanos).toList());
        long peak = fullSamples.stream().mapToLong(Sample::peakBytes).max().orElse(0);
        System.out.printf("RESULT plan full: median %d ms, samples %s ms; goal <= 10000 ms: %s%n", millis(fullMedian),
                fullSamples.stream().map(sample -> millis(sample.nanos())).toList(), millis(fullMedian) <= 10_000 ? "met" : "MISSED");
        System.out.printf("RESULT plan small (%d tables): median %d ms, samples %s ms%n", Math.max(1, tables / 10), millis(smallMedian),
                smallSamples.stream().map(sample -> millis(sample.nanos())).toList());
        double ratio = (double) fullMedian / smallMedian;
        System.out.printf("RESULT growth ratio full/small: %.2f; goal <= 12: %s%n", ratio, ratio <= 12 ? "met" : "MISSED");
        long smallCpu = median(smallSamples.stream().map(Sample::cpuNanos).toList());
        long fullCpu = median(fullSamples.stream().map(Sample::cpuNanos).toList());
        System.out.printf("RESULT planning thread CPU (excludes GC threads and time waiting for a core): full median %d ms %s, small median %d ms %s, ratio %.2f%n",
                millis(fullCpu), fullSamples.stream().map(sample -> millis(sample.cpuNanos())).toList(), millis(smallCpu),
                smallSamples.stream().map(sample -> millis(sample.cpuNanos())).toList(), (double) fullCpu / smallCpu);
        System.out.printf("RESULT best of runs (least disturbed): full %d ms, small %d ms, ratio %.2f%n", millis(min(fullSamples)), millis(min(smallSamples)),
                (double) min(fullSamples) / min(smallSamples));
        System.out.printf("RESULT peak heap (full plan, max over runs): %d MiB, baseline before plan %d MiB; goal <= 2048 MiB: %s%n",
                mebibytes(peak), mebibytes(fullSamples.get(0).baselineBytes()), peak <= (2L << 30) ? "met" : "MISSED");

        if (!Boolean.getBoolean("bench.skipSnapshots")) {
            snapshots(full.state(), Math.max(3, runs / 2));
        }
    }

    private static int argument(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static Case prepare(String label, int groups, int nodesPerGroup, int tables, int partitions) {
        long start = System.nanoTime();
        ClusterSpec initial = spec(groups, nodesPerGroup, tables, partitions, false);
        ClusterState state = StateProjection.project(ClusterState.empty(), Planner.plan(initial, ClusterState.empty(), PlanOptions.DEFAULTS));
        int copies = state.partitions().size() + state.replicas().size();
        System.out.printf("%s: %d nodes, %d tables x %d partitions, %d partition copies (%d primaries, %d replicas); built in %d ms%n", label,
                state.nodes().size(), tables, partitions, copies, state.partitions().size(), state.replicas().size(), millis(System.nanoTime() - start));
        ClusterSpec grown = spec(groups, nodesPerGroup, tables, partitions, true);
        if ("size".equals(System.getProperty("bench.balance"))) {
            state = state.withPartitionBytes(syntheticSizes(state));
            grown = new ClusterSpec(grown.file(), grown.cluster(), grown.shardlord(), grown.settings().withBalance(
                    new BalanceSettings(BalanceSettings.Mode.SIZE, BalanceSettings.DEFAULT_TOLERANCE_PERCENT, BalanceSettings.DEFAULT_BASE_BYTES)),
                    grown.nodes(), grown.tables(), Positions.UNKNOWN);
        }
        return new Case(label, state, grown, copies);
    }

    /**
     * With {@code -Dbench.balance=size}: every partition gets a size, seeded so that runs compare: most 1-100 MiB, one in
     * ten 100 MiB-2 GiB (the grown spec then balances by size, tolerance 10%, base 100 MiB).
     */
    private static PartitionBytes syntheticSizes(ClusterState state) {
        java.util.Random random = new java.util.Random(14);
        Map<String, Long> sizes = new java.util.HashMap<>();
        for (PartitionState partition : state.partitions()) {
            long mebibytes = random.nextInt(10) == 0 ? 100 + random.nextInt(1948) : 1 + random.nextInt(100);
            sizes.put(partition.name(), mebibytes << 20);
        }
        return PartitionBytes.of(sizes);
    }

    private static void describePlan(Case benchmarkCase, Plan plan) {
        long primaryMoves = plan.steps().stream().map(PlannedStep::step).filter(MovePrimary.class::isInstance).count();
        long replicaMoves = plan.steps().stream().map(PlannedStep::step).filter(MoveReplica.class::isInstance).count();
        long start = System.nanoTime();
        String text = TextPlanRenderer.render(plan, false);
        long rendered = System.nanoTime();
        String json = JsonPlanWriter.write(plan);
        long written = System.nanoTime();
        System.out.printf("RESULT plan size %s: %d steps, %d moves (%d primaries, %d replicas); text %d chars in %d ms, JSON %d chars in %d ms; %s%n",
                benchmarkCase.label(), plan.steps().size(), primaryMoves + replicaMoves, primaryMoves, replicaMoves, text.length(),
                millis(rendered - start), json.length(), millis(written - rendered), text.lines().reduce((first, second) -> second).orElse(""));
        System.out.printf("RESULT plan warnings %s: %d%s%n", benchmarkCase.label(), plan.warnings().size(),
                plan.warnings().isEmpty() ? "" : " (first: " + plan.warnings().get(0) + ")");
        System.out.printf("RESULT plan steps %s by kind: %s; SHA-256 of the JSON plan: %s%n", benchmarkCase.label(),
                plan.steps().stream().collect(Collectors.groupingBy(step -> step.step().getClass().getSimpleName(), TreeMap::new, Collectors.counting())),
                sha256(json));
    }

    /** The digest of a rendered plan, so that runs of different commits can show that they planned the very same thing. */
    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Sample timePlan(Case benchmarkCase) {
        System.gc();
        long baseline = heapUsed();
        HEAP_POOLS.forEach(MemoryPoolMXBean::resetPeakUsage);
        long gcBefore = gcMillis();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        Plan plan = Planner.plan(benchmarkCase.grown(), benchmarkCase.state(), PlanOptions.DEFAULTS);
        long elapsed = System.nanoTime() - start;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        long gc = gcMillis() - gcBefore;
        long peak = HEAP_POOLS.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        if (plan.steps().isEmpty()) {
            throw new IllegalStateException("the benchmark plan is empty");
        }
        return new Sample(elapsed, cpu, gc, peak, baseline);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long heapUsed() {
        return HEAP_POOLS.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    /** Secondary figures: writing and reading the full state as a YAML and a JSON snapshot (in memory, no disk). */
    private static void snapshots(ClusterState state, int runs) {
        List<Long> yamlWrite = new ArrayList<>();
        List<Long> yamlRead = new ArrayList<>();
        List<Long> jsonWrite = new ArrayList<>();
        List<Long> jsonRead = new ArrayList<>();
        int yamlChars = 0;
        int jsonChars = 0;
        for (int run = 0; run < runs; run++) {
            String yaml = timed(yamlWrite, () -> StateSnapshots.toYaml(state));
            check(state, timed(yamlRead, () -> StateSnapshots.parse(yaml, "state.yaml")));
            String json = timed(jsonWrite, () -> StateSnapshots.toJson(state));
            check(state, timed(jsonRead, () -> StateSnapshots.parse(json, "state.json")));
            yamlChars = yaml.length();
            jsonChars = json.length();
        }
        System.out.printf("RESULT snapshot YAML (%d chars): write median %d ms %s, read median %d ms %s%n", yamlChars, millis(median(yamlWrite)),
                milliList(yamlWrite), millis(median(yamlRead)), milliList(yamlRead));
        System.out.printf("RESULT snapshot JSON (%d chars): write median %d ms %s, read median %d ms %s%n", jsonChars, millis(median(jsonWrite)),
                milliList(jsonWrite), millis(median(jsonRead)), milliList(jsonRead));
    }

    private static <T> T timed(List<Long> samples, Supplier<T> work) {
        System.gc();
        long start = System.nanoTime();
        T result = work.get();
        samples.add(System.nanoTime() - start);
        return result;
    }

    private static void check(ClusterState expected, ClusterState read) {
        if (!expected.equals(read)) {
            throw new IllegalStateException("the snapshot did not read back equal to the state");
        }
    }

    private static List<Long> milliList(List<Long> nanos) {
        return nanos.stream().map(PlannerBenchmark::millis).toList();
    }

    private static long min(List<Sample> samples) {
        return samples.stream().mapToLong(Sample::nanos).min().orElse(0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static long mebibytes(long bytes) {
        return bytes >> 20;
    }

    /**
     * Nodes {@code gGGGnNN} in groups {@code rgGGG}; with {@code grown}, one more node per group. Tables {@code tTTT}.
     * Unless {@code -Dbench.steering=false} (the spec of the figures recorded before pins and weights existed), the
     * spec also steers placement: node 0 of every group weighs 2 and the joining node 1.5, and table t000 pins one
     * partition per group (partition g: primary on node 1 of group g, replica on node 2), so every group takes the
     * weighted, pinned path of the balancer.
     */
    static ClusterSpec spec(int groups, int nodesPerGroup, int tables, int partitions, boolean grown) {
        boolean steering = !"false".equals(System.getProperty("bench.steering"));
        List<NodeSpec> nodes = new ArrayList<>();
        for (int group = 0; group < groups; group++) {
            for (int node = 0; node < nodesPerGroup + (grown ? 1 : 0); node++) {
                String name = String.format("g%03dn%02d", group, node);
                BigDecimal weight = !steering ? BigDecimal.ONE : node == 0 ? BigDecimal.valueOf(2) : node == nodesPerGroup ? new BigDecimal("1.5") : BigDecimal.ONE;
                nodes.add(new NodeSpec(name, "host=" + name + " port=5432 dbname=postgres user=postgres", Optional.empty(),
                        String.format("rg%03d", group), false, Positions.UNKNOWN, weight));
            }
        }
        List<ColumnSpec> columns = List.of(new ColumnSpec("id", "bigint", false, Optional.empty(), Positions.UNKNOWN),
                new ColumnSpec("payload", "text", true, Optional.empty(), Positions.UNKNOWN));
        List<TableSpec> tableSpecs = new ArrayList<>();
        for (int table = 0; table < tables; table++) {
            List<PartitionPin> pins = new ArrayList<>();
            for (int group = 0; steering && table == 0 && nodesPerGroup >= 3 && group < Math.min(groups, partitions); group++) {
                pins.add(new PartitionPin(group, List.of(String.format("g%03dn01", group), String.format("g%03dn02", group)), SourcePosition.UNKNOWN));
            }
            tableSpecs.add(new TableSpec(String.format("t%03d", table), "public", TableType.SHARDED, columns, List.of("id"), List.of(),
                    Optional.of("id"), partitions, 1, Optional.empty(), Optional.empty(), Positions.UNKNOWN, Map.of(), pins));
        }
        return new ClusterSpec("cluster.yaml", "bench", "host=lord dbname=postgres", SettingsSpec.defaults(), nodes, tableSpecs, Positions.UNKNOWN);
    }
}
