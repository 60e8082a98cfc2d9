package dev.shardman.planner.graph;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.IndexState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.step.AddColumn;
import dev.shardman.planner.step.ColumnPhase;
import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.CreateIndex;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.CreateReplicationChannel;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.DropColumn;
import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.DropIndex;
import dev.shardman.planner.step.DropReplica;
import dev.shardman.planner.step.DropReplicationChannel;
import dev.shardman.planner.step.DropShardedTable;
import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.MoveReplica;
import dev.shardman.planner.step.PartitionPlacement;
import dev.shardman.planner.step.PartitionUnit;
import dev.shardman.planner.step.PromoteReplica;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One nested class per edge rule: when it fires, and when it does not. */
class EdgeRulesTest {
    static RegisterNode register(String node) {
        return new RegisterNode(new NodeState(9, node, Optional.empty(), "host=" + node, Optional.empty(), "rg1", false));
    }

    static MovePrimary move(int index, String from, String to) {
        return new MovePrimary(new PartitionUnit(List.of("t"), index), from, to);
    }

    static TableState table(String name, Optional<String> colocateWith, int partitions) {
        return new TableState(name, "public", TableType.SHARDED, List.of(new ColumnState("id", "bigint", false, Optional.empty())),
                List.of("id"), List.of(), Optional.of("id"), partitions, 0, colocateWith, Optional.empty());
    }

    static CreateShardedTable create(String name, Optional<String> colocateWith, String primary, List<String> replicas) {
        return new CreateShardedTable(table(name, colocateWith, 1), List.of(new PartitionPlacement(0, primary, replicas)), List.of("w1", "w2"));
    }

    static ColumnState column(String name) {
        return new ColumnState(name, "text", true, Optional.empty());
    }

    /** The edges as "before > after" strings. */
    static Set<String> edges(EdgeRule rule, Step... steps) {
        return rule.edges(List.of(steps)).stream().map(edge -> edge.before() + " > " + edge.after()).collect(Collectors.toSet());
    }

    @Nested
    class NodeRegisteredBeforeUseTest {
        @Test
        void fires() {
            assertEquals(Set.of("register-node:w4 > move-primary:t_0"), edges(new NodeRegisteredBeforeUse(), register("w4"), move(0, "w1", "w4")));
        }

        @Test
        void doesNotFire() {
            assertEquals(Set.of(), edges(new NodeRegisteredBeforeUse(), register("w4"), move(0, "w1", "w2")));
        }
    }

    @Nested
    class ForeignServersBeforeNodeUseTest {
        @Test
        void fires() {
            CreateForeignServers connect = new CreateForeignServers("w4", List.of("w1"));
            assertEquals(Set.of("create-foreign-servers:w4 > move-primary:t_0"), edges(new ForeignServersBeforeNodeUse(), connect, move(0, "w1", "w4")));
        }

        @Test
        void doesNotFireForOtherNodesOrNodeLifecycleSteps() {
            CreateForeignServers connect = new CreateForeignServers("w4", List.of("w1"));
            CreateForeignServers connectNext = new CreateForeignServers("w5", List.of("w1", "w4"));
            assertEquals(Set.of(), edges(new ForeignServersBeforeNodeUse(), connect, connectNext, move(0, "w1", "w2")));
        }
    }

    @Nested
    class LostNodeFencedFirstTest {
        @Test
        void firesBeforeEveryOtherStepEvenThoseNotNamingTheNode() {
            MarkNodeLost lost = new MarkNodeLost("w3", "rg1");
            PromoteReplica promote = new PromoteReplica(new PartitionUnit(List.of("t"), 1), "w3", List.of("w2"));
            assertEquals(Set.of("mark-node-lost:w3 > promote-replica:t_1", "mark-node-lost:w3 > move-primary:t_0"),
                    edges(new LostNodeFencedFirst(), lost, move(0, "w1", "w2"), promote));
            CreateReplicationChannel channel = new CreateReplicationChannel("rg1", "w1", "w2");
            assertEquals(Set.of("mark-node-lost:w3 > create-replication-channel:w1->w2"), edges(new LostNodeFencedFirst(), lost, channel));
        }

        @Test
        void twoFencesAreNotOrderedBetweenThemselves() {
            assertEquals(Set.of(), edges(new LostNodeFencedFirst(), new MarkNodeLost("w3", "rg1"), new MarkNodeLost("w4", "rg1")));
        }

        @Test
        void doesNotFireWithoutALostNode() {
            assertEquals(Set.of(), edges(new LostNodeFencedFirst(), move(0, "w1", "w2"), register("w4")));
        }
    }

    @Nested
    class DataMovementChainedTest {
        @Test
        void chainsDataStepsFailoverFirstThenById() {
            PromoteReplica promote = new PromoteReplica(new PartitionUnit(List.of("t"), 7), "w3", List.of("w2"));
            CreateReplica copy = new CreateReplica(new PartitionUnit(List.of("t"), 2), "w1", "w2");
            assertEquals(Set.of("promote-replica:t_7 > move-primary:t_2", "move-primary:t_2 > move-primary:t_10",
                            "move-primary:t_10 > create-replica:t_2@w1"),
                    edges(new DataMovementChained(), move(10, "w1", "w2"), copy, move(2, "w1", "w2"), promote));
        }

        @Test
        void doesNotFireForASingleDataStepOrCatalogSteps() {
            assertEquals(Set.of(), edges(new DataMovementChained(), move(0, "w1", "w2"), register("w4")));
        }
    }

    @Nested
    class ShrinkBeforeDataMovementTest {
        @Test
        void fires() {
            DropReplica drop = new DropReplica(new PartitionUnit(List.of("t"), 5), "w3", "w1");
            assertEquals(Set.of("drop-replica:t_5@w3 > move-primary:t_0"), edges(new ShrinkBeforeDataMovement(), move(1, "w1", "w2"), drop, move(0, "w1", "w2")));
        }

        @Test
        void doesNotFireWithoutDataMovement() {
            assertEquals(Set.of(), edges(new ShrinkBeforeDataMovement(), new DropReplica(new PartitionUnit(List.of("t"), 5), "w3", "w1")));
        }
    }

    @Nested
    class SchemaChangesBeforeDataMovementTest {
        @Test
        void fires() {
            AddColumn add = new AddColumn("t", column("c"), ColumnPhase.PUBLISHERS, List.of("w1"));
            assertEquals(Set.of("add-column:t.c:publishers > move-primary:t_0"), edges(new SchemaChangesBeforeDataMovement(), add, move(0, "w1", "w2")));
        }

        @Test
        void doesNotFireWithoutDataMovement() {
            assertEquals(Set.of(), edges(new SchemaChangesBeforeDataMovement(), new AddColumn("t", column("c"), ColumnPhase.PUBLISHERS, List.of("w1"))));
        }
    }

    @Nested
    class ChannelCreatedBeforeUseTest {
        @Test
        void firesForTheChainAndForNewTablesUsingIt() {
            CreateReplicationChannel channel = new CreateReplicationChannel("rg1", "w1", "w2");
            assertEquals(Set.of("create-replication-channel:w1->w2 > move-primary:t_0", "create-replication-channel:w1->w2 > create-sharded-table:n"),
                    edges(new ChannelCreatedBeforeUse(), channel, move(0, "w1", "w3"), create("n", Optional.empty(), "w1", List.of("w2"))));
        }

        @Test
        void doesNotFireForTablesNotUsingIt() {
            CreateReplicationChannel channel = new CreateReplicationChannel("rg1", "w1", "w2");
            assertEquals(Set.of(), edges(new ChannelCreatedBeforeUse(), channel, create("n", Optional.empty(), "w2", List.of("w1"))));
        }
    }

    @Nested
    class ChannelDroppedAfterLastUseTest {
        @Test
        void firesAfterTheChainAndAfterReplicaDropsOnBothEnds() {
            DropReplicationChannel channel = new DropReplicationChannel("rg1", "w1", "w3");
            DropReplica drop = new DropReplica(new PartitionUnit(List.of("t"), 4), "w3", "w1");
            assertEquals(Set.of("move-primary:t_0 > drop-replication-channel:w1->w3", "drop-replica:t_4@w3 > drop-replication-channel:w1->w3"),
                    edges(new ChannelDroppedAfterLastUse(), channel, drop, move(0, "w1", "w2")));
        }

        @Test
        void doesNotFireForUnrelatedDrops() {
            DropReplicationChannel channel = new DropReplicationChannel("rg1", "w1", "w3");
            assertEquals(Set.of(), edges(new ChannelDroppedAfterLastUse(), channel, new DropReplica(new PartitionUnit(List.of("t"), 4), "w2", "w4")));
        }
    }

    @Nested
    class ColocatedTableFollowsAnchorTest {
        @Test
        void firesAfterANewAnchorOrAfterTheMovesOfAnExistingOne() {
            CreateShardedTable anchor = create("a", Optional.empty(), "w1", List.of());
            CreateShardedTable member = create("m", Optional.of("a"), "w1", List.of());
            CreateShardedTable follower = create("f", Optional.of("existing"), "w1", List.of());
            assertEquals(Set.of("create-sharded-table:a > create-sharded-table:m", "move-primary:t_0 > create-sharded-table:f"),
                    edges(new ColocatedTableFollowsAnchor(), anchor, member, follower, move(0, "w1", "w2")));
        }

        @Test
        void dropsReverseCreates() {
            DropShardedTable anchor = new DropShardedTable(table("a", Optional.empty(), 1), List.of("w1"));
            DropShardedTable member = new DropShardedTable(table("m", Optional.of("a"), 1), List.of("w1"));
            assertEquals(Set.of("drop-sharded-table:m > drop-sharded-table:a"), edges(new ColocatedTableFollowsAnchor(), anchor, member));
        }

        @Test
        void doesNotFireForTablesWithoutColocation() {
            assertEquals(Set.of(), edges(new ColocatedTableFollowsAnchor(), create("a", Optional.empty(), "w1", List.of()), move(0, "w1", "w2")));
        }
    }

    @Nested
    class ColumnPhasesOrderedTest {
        @Test
        void addsGoToSubscribersFirstDropsToPublishersFirst() {
            AddColumn addSubscribers = new AddColumn("t", column("c"), ColumnPhase.SUBSCRIBERS, List.of("w1"));
            AddColumn addPublishers = new AddColumn("t", column("c"), ColumnPhase.PUBLISHERS, List.of("w1"));
            DropColumn dropSubscribers = new DropColumn("t", column("d"), ColumnPhase.SUBSCRIBERS, List.of("w1"));
            DropColumn dropPublishers = new DropColumn("t", column("d"), ColumnPhase.PUBLISHERS, List.of("w1"));
            assertEquals(Set.of("add-column:t.c:subscribers > add-column:t.c:publishers", "drop-column:t.d:publishers > drop-column:t.d:subscribers"),
                    edges(new ColumnPhasesOrdered(), addPublishers, dropSubscribers, addSubscribers, dropPublishers));
        }

        @Test
        void doesNotFireAcrossColumns() {
            AddColumn addSubscribers = new AddColumn("t", column("c"), ColumnPhase.SUBSCRIBERS, List.of("w1"));
            AddColumn otherPublishers = new AddColumn("t", column("e"), ColumnPhase.PUBLISHERS, List.of("w1"));
            assertEquals(Set.of(), edges(new ColumnPhasesOrdered(), addSubscribers, otherPublishers));
        }
    }

    @Nested
    class IndexesFollowColumnsTest {
        @Test
        void fires() {
            AddColumn add = new AddColumn("t", column("c"), ColumnPhase.PUBLISHERS, List.of("w1"));
            CreateIndex index = new CreateIndex("t", new IndexState("t_c_idx", List.of("c"), false), List.of("w1"));
            DropIndex dropIndex = new DropIndex("t", new IndexState("t_d_idx", List.of("d"), false), List.of("w1"));
            DropColumn drop = new DropColumn("t", column("d"), ColumnPhase.PUBLISHERS, List.of("w1"));
            assertEquals(Set.of("add-column:t.c:publishers > create-index:t.t_c_idx", "drop-index:t.t_d_idx > drop-column:t.d:publishers"),
                    edges(new IndexesFollowColumns(), index, add, drop, dropIndex));
        }

        @Test
        void doesNotFireAcrossTables() {
            AddColumn add = new AddColumn("t", column("c"), ColumnPhase.PUBLISHERS, List.of("w1"));
            CreateIndex index = new CreateIndex("u", new IndexState("u_c_idx", List.of("c"), false), List.of("w1"));
            assertEquals(Set.of(), edges(new IndexesFollowColumns(), add, index));
        }
    }

    @Nested
    class NodeRemovedLastTest {
        @Test
        void fires() {
            DropForeignServers disconnect = new DropForeignServers("w4", List.of("w1"));
            RemoveNode remove = new RemoveNode("w4", false);
            MoveReplica drain = new MoveReplica(new PartitionUnit(List.of("t"), 3), "w4", "w2", "w1");
            assertEquals(Set.of("drop-foreign-servers:w4 > remove-node:w4", "move-replica:t_3@w4 > drop-foreign-servers:w4"),
                    edges(new NodeRemovedLast(), remove, drain, disconnect));
        }

        @Test
        void doesNotFireForStepsOnOtherNodes() {
            assertEquals(Set.of(), edges(new NodeRemovedLast(), new RemoveNode("w4", true), move(0, "w1", "w2")));
        }
    }

    @Nested
    class LostNodeLeavesBeforeNodesJoinTest {
        @Test
        void firesForALostNodeNothingElseTouches() {
            assertEquals(Set.of("remove-node:w4 > register-node:w5"),
                    edges(new LostNodeLeavesBeforeNodesJoin(), new RemoveNode("w4", true), register("w5"), new DropForeignServers("w4", List.of("w1"))));
        }

        @Test
        void doesNotFireForADrainedNodeOrOneStillFailedOverInThePlan() {
            assertEquals(Set.of(), edges(new LostNodeLeavesBeforeNodesJoin(), new RemoveNode("w4", false), register("w5")));
            assertEquals(Set.of(), edges(new LostNodeLeavesBeforeNodesJoin(), new RemoveNode("w4", true), register("w5"),
                    new MoveReplica(new PartitionUnit(List.of("t"), 3), "w4", "w2", "w1")));
        }
    }

    @Test
    void everyRuleIsListedOnce() {
        List<String> names = EdgeRules.all().stream().map(EdgeRule::name).toList();
        assertEquals(names.size(), Set.copyOf(names).size());
        assertTrue(names.contains("DataMovementChained"));
    }
}
