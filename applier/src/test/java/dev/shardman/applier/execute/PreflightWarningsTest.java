package dev.shardman.applier.execute;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.UpdateSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreflightWarningsTest {
    private static final ClusterSettings ASYNCHRONOUS = ClusterSettings.DEFAULTS;
    private static final ClusterSettings SYNCHRONOUS = new ClusterSettings(true, ASYNCHRONOUS.maxReplicationLagBytes(), ASYNCHRONOUS.failover());
    private static final List<Step> TURN_ON = List.of(new UpdateSettings(ASYNCHRONOUS, SYNCHRONOUS));

    @Test
    void turningSyncReplicationOnNamesTheTablesWithoutReplicasWhoseCommitsWillWaitToo() {
        List<String> warnings = PreflightWarnings.syncReplicationCost(TURN_ON, state(sharded("events", 0), sharded("orders", 1), sharded("audit", 0)));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("sync_replication makes every commit on a node wait for its replica holders, also the commits that"
                + " write only tables without replicas (public.audit, public.events)"), warnings.get(0));
        assertTrue(warnings.get(0).contains("SET synchronous_commit = local"), warnings.get(0));
    }

    @Test
    void aSharedTableIsReplicatedToo() {
        assertEquals(1, PreflightWarnings.syncReplicationCost(TURN_ON, state(sharded("events", 0), shared("countries"))).size());
    }

    @Test
    void doesNotFireWhenNothingWaitsOrNothingIsTurnedOn() {
        assertEquals(List.of(), PreflightWarnings.syncReplicationCost(TURN_ON, state(sharded("events", 0))), "no table has replicas: no standby");
        assertEquals(List.of(), PreflightWarnings.syncReplicationCost(TURN_ON, state(sharded("orders", 1))), "every table has replicas");
        assertEquals(List.of(), PreflightWarnings.syncReplicationCost(List.of(new UpdateSettings(SYNCHRONOUS, ASYNCHRONOUS)),
                state(sharded("events", 0), sharded("orders", 1))), "turned off");
        assertEquals(List.of(), PreflightWarnings.syncReplicationCost(List.of(), state(sharded("events", 0), sharded("orders", 1))),
                "already on: warned when it was turned on");
    }

    private static ClusterState state(TableState... tables) {
        return ClusterState.withDefaultSettings("test", 1, List.of(new NodeState(1, "w1", Optional.empty(), "host=a", Optional.empty(), "rg1", false),
                new NodeState(2, "w2", Optional.empty(), "host=b", Optional.empty(), "rg1", false)), List.of(tables), List.of(), List.of());
    }

    private static TableState sharded(String name, int redundancy) {
        return new TableState(name, "public", TableType.SHARDED, List.of(new ColumnState("id", "bigint", false, Optional.empty())), List.of("id"),
                List.of(), Optional.of("id"), 2, redundancy, Optional.empty(), Optional.empty());
    }

    private static TableState shared(String name) {
        return new TableState(name, "public", TableType.SHARED, List.of(new ColumnState("id", "bigint", false, Optional.empty())), List.of("id"),
                List.of(), Optional.empty(), 0, 0, Optional.empty(), Optional.of("w1"));
    }
}
