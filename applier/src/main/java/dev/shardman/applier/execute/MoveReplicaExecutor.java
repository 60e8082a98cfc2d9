package dev.shardman.applier.execute;

import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.planner.StateProjection;
import dev.shardman.planner.step.CreateReplica;
import dev.shardman.planner.step.MoveReplica;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Moves a replica without ever holding fewer copies: the new copy is made and in sync first, the metadata commits
 * with both copies on the nodes, then the old copy goes. A crash before the commit leaves the state before, after it
 * the state after (docs/internals/replication.md, "Moving a replica"). {@code copiesAhead}: the later replica moves of
 * this one's wave ({@link ReplicaWaves}) whose new copies were made ahead; the nodes keep them meanwhile.
 */
record MoveReplicaExecutor(MoveReplica step, List<MoveReplica> copiesAhead) implements StepExecutor {
    /** How long the new copy may take to reach sync state r. */
    static final Duration INITIAL_SYNC_WAIT = Duration.ofHours(1);

    MoveReplicaExecutor {
        requireNonNull(step, "step is null");
        copiesAhead = List.copyOf(copiesAhead);
    }

    MoveReplicaExecutor(MoveReplica step) {
        this(step, List.of());
    }

    /** This move, while the new copies of {@code ahead} (later moves of its wave) exist on the nodes. */
    MoveReplicaExecutor withCopiesAhead(List<MoveReplica> ahead) {
        return new MoveReplicaExecutor(step, ahead);
    }

    @Override
    public ClusterState check(ClusterState before, LiveNodes nodes) {
        return StateProjection.apply(before, step);
    }

    /** Both copies: the state before plus the replica on {@code to} (and the copies made ahead). */
    @Override
    public ClusterState stateAtCommit(ClusterState before, ClusterState after) {
        return withNewCopies(before, concat(step, copiesAhead));
    }

    @Override
    public ClusterState stateOnNodes(ClusterState after) {
        return withNewCopies(after, copiesAhead);
    }

    @Override
    public void copyData(ClusterState before, ClusterState after, StepTools tools) throws SQLException {
        copy(before, concat(step, copiesAhead), List.of(step), tools);
    }

    @Override
    public boolean changesOnlyItsChannels() {
        return true;
    }

    /**
     * The new copies of {@code moves} from {@code before}: their tables on the destinations, the channels from their
     * primaries, and the initial copy of those of {@code awaited}, waited for.
     */
    static void copy(ClusterState before, List<MoveReplica> moves, List<MoveReplica> awaited, StepTools tools) throws SQLException {
        ClusterState both = withNewCopies(before, moves);
        Map<String, NodeState> destinations = new LinkedHashMap<>();
        moves.forEach(move -> destinations.put(move.to(), both.node(move.to()).orElseThrow()));
        for (NodeState destination : destinations.values()) {
            tools.reconciler(both).reconcile(tools.nodes().connect(destination), ExpectedObjects.forNode(both, destination.name()), List.of(before, both));
        }
        tools.channels().growChanged(before, both);
        if (!tools.channels().awaitInitialSync(newCopiesOnly(both, awaited), INITIAL_SYNC_WAIT, tools.progressLines())) {
            String units = String.join(", ", awaited.stream().map(move -> move.unit().describe() + " on " + move.to()).toList());
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the new replica of " + units + " did not finish its initial copy within "
                    + INITIAL_SYNC_WAIT, "the old replicas are kept; look at the destination's server log, then run apply again");
        }
    }

    /** {@code state} plus the new copy of each of {@code moves} (the old one stays). */
    static ClusterState withNewCopies(ClusterState state, List<MoveReplica> moves) {
        ClusterState result = state;
        for (MoveReplica move : moves) {
            result = StateProjection.apply(result, new CreateReplica(move.unit(), move.to(), move.primary()));
        }
        return result;
    }

    /** {@code state} with only the new copies of {@code moves}, and no shared table: the channels whose sync is awaited. */
    private static ClusterState newCopiesOnly(ClusterState state, List<MoveReplica> moves) {
        List<ReplicaState> replicas = state.replicas().stream().filter(replica -> moves.stream()
                .anyMatch(move -> replica.node().equals(move.to()) && move.unit().partitionNames().contains(replica.partition()))).toList();
        return new ClusterState(state.lineage(), state.serial(), state.nodes(),
                state.tables().stream().filter(table -> table.isSharded()).toList(), state.partitions(), replicas, state.settings());
    }

    private static List<MoveReplica> concat(MoveReplica first, List<MoveReplica> rest) {
        List<MoveReplica> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
