package dev.shardman.applier.execute;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.RegisterNode;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockTimeoutBlockersTest {
    private static final NodeState W1 = new NodeState(1, "w1", Optional.empty(), "host=a", Optional.empty(), "rg1", false);
    private static final NodeState W2 = new NodeState(2, "w2", Optional.empty(), "host=b", Optional.empty(), "rg1", false);
    private static final ClusterState STATE = ClusterState.withDefaultSettings("lineage", 3, List.of(W1, W2),
            List.of(table("customers", "public"), table("events", "audit")),
            List.of(new PartitionState("customers", 0, "w1"), new PartitionState("customers", 1, "w2"),
                    new PartitionState("events", 0, "w1"), new PartitionState("events", 1, "w2")), List.of());

    @Test
    void aLockWaitThatRanOutIsFoundAlsoWhenAReconcilerWrappedIt() {
        SQLException timeout = new SQLException("ERROR: canceling statement due to lock timeout", "55P03");
        assertTrue(LockTimeoutBlockers.isLockTimeout(timeout));
        assertTrue(LockTimeoutBlockers.isLockTimeout(new SQLException("on w1: ALTER TABLE …", "55P03", timeout)));
        assertTrue(LockTimeoutBlockers.isLockTimeout(new ShardmanException(ErrorCode.NODE_FAILURE, "move failed", "", timeout)));
        assertFalse(LockTimeoutBlockers.isLockTimeout(new SQLException("ERROR: deadlock detected", "40P01")));
        assertFalse(LockTimeoutBlockers.isLockTimeout(new IllegalStateException("no SQL here")));
    }

    @Test
    void aTableStepNamesItsTableInItsSchema() {
        DropIndex drop = new DropIndex("events", new IndexState("events_at_idx", List.of("at"), false), List.of("w1", "w2"));
        assertEquals(List.of("\"audit\".\"events\""), LockTimeoutBlockers.relations(drop, STATE));
    }

    @Test
    void aMoveNamesItsPartitionsAndTheirParents() {
        MovePrimary move = new MovePrimary(new PartitionUnit(List.of("customers"), 1), "w2", "w1");
        assertEquals(List.of("\"public\".\"customers\"", "\"public\".\"customers_1\""), LockTimeoutBlockers.relations(move, STATE));
    }

    @Test
    void aNodeStepOnNoTableNamesEveryTable() {
        RegisterNode register = new RegisterNode(new NodeState(3, "w3", Optional.empty(), "host=c", Optional.empty(), "rg1", false));
        assertEquals(List.of("\"audit\".\"events\"", "\"public\".\"customers\""), LockTimeoutBlockers.relations(register, STATE));
    }

    private static TableState table(String name, String schema) {
        return new TableState(name, schema, TableType.SHARDED, List.of(new ColumnState("id", "bigint", false, Optional.empty())), List.of("id"),
                List.of(), Optional.of("id"), 2, 0, Optional.empty(), Optional.empty());
    }
}
