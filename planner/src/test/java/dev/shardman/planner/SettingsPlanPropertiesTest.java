package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.step.UpdateSettings;
import dev.shardman.planner.support.SpecBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.shardman.planner.support.Scenarios.ALLOW_ALL;
import static dev.shardman.planner.support.Scenarios.built;
import static dev.shardman.planner.support.Scenarios.stepsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random spec edits (settings toggled or not, a node added, a redundancy changed, or nothing) on a
 * cluster recorded with random settings: a plan that says "No changes" means the recorded state already is
 * what the spec describes (settings, nodes, tables), and planning again from the state a plan leads to is empty.
 */
class SettingsPlanPropertiesTest {
    private static final long[] LAG_THRESHOLDS = {ClusterSettings.DEFAULTS.maxReplicationLagBytes(), 1024, 16L << 20};

    @TestFactory
    Stream<DynamicTest> noChangesMeansTheStateIsTheSpecAndProjectionsConverge() {
        return LongStream.range(0, 200).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runCase(seed)));
    }

    private static void runCase(long seed) {
        Random random = new Random(seed);
        boolean sync = random.nextBoolean();
        long lag = LAG_THRESHOLDS[random.nextInt(LAG_THRESHOLDS.length)];
        ClusterSpec before = base(random.nextInt(3), sync, lag).build();
        ClusterState live = built(before);
        assertEquals(new ClusterSettings(sync, lag, FailoverSettings.DEFAULTS), live.settings(), "seed " + seed + ": the built state records the spec's settings");

        ClusterSpec after = edit(random, sync, lag);
        Plan plan = Planner.plan(after, live, ALLOW_ALL);
        ClusterState projected = StateProjection.project(live, plan);
        if (plan.isEmpty()) {
            assertEquals(projected, live, "seed " + seed);
            ClusterState fromScratch = built(after);
            assertEquals(fromScratch.settings(), live.settings(), "seed " + seed + ": No changes, yet the settings differ");
            assertEquals(fromScratch.nodes(), live.nodes(), "seed " + seed + ": No changes, yet the nodes differ");
            assertEquals(fromScratch.tables(), live.tables(), "seed " + seed + ": No changes, yet the tables differ");
        }
        assertEquals(ClusterSettings.of(after.settings()), projected.settings(), "seed " + seed + ": the projection records the spec's settings");
        assertTrue(Planner.plan(after, projected, ALLOW_ALL).isEmpty(), "seed " + seed + ": planning again from the projection is not empty");
    }

    private static SpecBuilder base(int extraNodes, boolean sync, long lag) {
        SpecBuilder builder = SpecBuilder.cluster().settings(sync, lag).nodes("rg1", "w1", "w2", "w3").sharded("items", 6, 1);
        for (int node = 0; node < extraNodes; node++) {
            builder.node("x" + node, "rg1");
        }
        return builder;
    }

    /** One random edit of the base spec (its node count drawn again, so a node may come or go). */
    private static ClusterSpec edit(Random random, boolean sync, long lag) {
        boolean newSync = random.nextInt(3) == 0 ? !sync : sync;
        long newLag = random.nextInt(3) == 0 ? LAG_THRESHOLDS[random.nextInt(LAG_THRESHOLDS.length)] : lag;
        SpecBuilder builder = base(random.nextInt(3), newSync, newLag);
        if (random.nextInt(4) == 0) {
            builder.redundancy("items", random.nextInt(3));
        }
        return builder.build();
    }

    @Test
    void aSettingsChangeAloneIsOneStepAndNoNodeWork() {
        ClusterSpec before = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("items", 4, 1).build();
        ClusterSpec after = SpecBuilder.cluster().settings(true, 1024).nodes("rg1", "w1", "w2").sharded("items", 4, 1).build();
        Plan plan = Planner.plan(after, built(before), ALLOW_ALL);
        assertEquals(1, plan.steps().size());
        UpdateSettings step = stepsOf(plan, UpdateSettings.class).get(0);
        assertEquals(List.of(), step.nodes());
        assertEquals("settings will be updated: sync_replication false → true, max_replication_lag_bytes 67108864 → 1024", step.describe());
    }

    @Test
    void turningAutomaticFailoverOnIsASettingsStepThatSaysSo() {
        ClusterSpec before = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("items", 4, 1).build();
        ClusterSpec after = SpecBuilder.cluster().nodes("rg1", "w1", "w2").sharded("items", 4, 1)
                .failover(new FailoverSettings(true, java.time.Duration.ofSeconds(30))).build();
        Plan plan = Planner.plan(after, built(before), ALLOW_ALL);
        assertEquals(List.of("update-settings:cluster"), plan.steps().stream().map(step -> step.id().value()).toList());
        assertEquals("settings will be updated: failover manual → automatic after 30s", stepsOf(plan, UpdateSettings.class).get(0).describe());
        ClusterState applied = StateProjection.project(built(before), plan);
        assertEquals(new FailoverSettings(true, java.time.Duration.ofSeconds(30)), applied.settings().failover());
        assertTrue(Planner.plan(after, applied, ALLOW_ALL).isEmpty(), "the recorded setting plans nothing more");
    }
}
