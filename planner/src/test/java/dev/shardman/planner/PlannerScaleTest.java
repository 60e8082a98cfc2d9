package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.render.JsonPlanWriter;
import dev.shardman.planner.render.TextPlanRenderer;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The performance scenario (1,000 nodes in 100 groups, 200 tables × 1,024 partitions at
 * redundancy 1, then 100 nodes added). Off by default; run with
 * {@code mvn -pl planner -am verify -Dtest=PlannerScaleTest -Dscale=true -DargLine="-Xmx2g -XX:ActiveProcessorCount=2"}.
 * The real benchmark belongs to the benchmark module; this only prints timings.
 */
@EnabledIfSystemProperty(named = "scale", matches = "true")
class PlannerScaleTest {
    static SpecBuilder spec(int groups, int perGroup, int tables, int partitions, boolean extra) {
        SpecBuilder builder = SpecBuilder.cluster();
        for (int group = 0; group < groups; group++) {
            for (int node = 0; node < perGroup; node++) {
                builder.node(String.format("g%03dn%02d", group, node), String.format("rg%03d", group));
            }
            if (extra) {
                builder.node(String.format("g%03dn%02d", group, perGroup), String.format("rg%03d", group));
            }
        }
        for (int table = 0; table < tables; table++) {
            builder.sharded(String.format("t%03d", table), partitions, 1);
        }
        return builder;
    }

    @Test
    void scale() {
        int groups = Integer.getInteger("scale.groups", 100);
        int tables = Integer.getInteger("scale.tables", 200);
        long start = System.nanoTime();
        ClusterSpec before = spec(groups, 10, tables, 1024, false).build();
        Plan initial = Planner.plan(before, ClusterState.empty(), PlanOptions.DEFAULTS);
        long planned = System.nanoTime();
        ClusterState state = StateProjection.project(ClusterState.empty(), initial);
        long projected = System.nanoTime();
        System.out.printf("initial plan %d ms, projection %d ms, %d partitions %d replicas%n", (planned - start) / 1_000_000, (projected - planned) / 1_000_000,
                state.partitions().size(), state.replicas().size());
        long beforeSnapshot = System.nanoTime();
        String yaml = dev.shardman.model.state.StateSnapshots.toYaml(state);
        long written = System.nanoTime();
        ClusterState reread = dev.shardman.model.state.StateSnapshots.parse(yaml, "state.yaml");
        long read = System.nanoTime();
        String json = dev.shardman.model.state.StateSnapshots.toJson(state);
        ClusterState rereadJson = dev.shardman.model.state.StateSnapshots.parse(json, "state.json");
        long jsonDone = System.nanoTime();
        System.out.printf("snapshot: YAML write %d ms (%d chars), read %d ms; JSON write+read %d ms; equal %b %b%n", (written - beforeSnapshot) / 1_000_000,
                yaml.length(), (read - written) / 1_000_000, (jsonDone - read) / 1_000_000, reread.equals(state), rereadJson.equals(state));
        ClusterSpec after = spec(groups, 10, tables, 1024, true).build();
        System.gc();
        long t0 = System.nanoTime();
        Plan plan = Planner.plan(after, state, PlanOptions.DEFAULTS);
        long t1 = System.nanoTime();
        String text = TextPlanRenderer.render(plan, false);
        String planJson = JsonPlanWriter.write(plan);
        long t2 = System.nanoTime();
        System.out.printf("add %d nodes: plan %d ms (%d steps), render %d ms (%d + %d chars), heap used %d MB%n", groups, (t1 - t0) / 1_000_000, plan.steps().size(),
                (t2 - t1) / 1_000_000, text.length(), planJson.length(), (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        System.out.println(text.lines().reduce((a, b) -> b).orElse(""));
    }
}
