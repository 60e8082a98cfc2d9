package dev.shardman.applier.execute;

import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.planner.step.MoveReplica;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * apply {@code --parallelism N} for replica moves: a run of consecutive replica moves of the plan (at most N, distinct
 * units, at most {@code perNode} copies sent or received by one node) makes its new copies together on the command
 * thread: the tables on the destinations, one pass over the channels they change, one wait for all their initial
 * syncs. Each move then runs at its turn as always (journal, metadata commit, the old copy dropped after it) while the
 * nodes keep the wave's later copies ({@link MoveReplicaExecutor#copiesAhead}). A crash leaves new copies that the
 * metadata does not hold: recover drops them, as it drops the new copy of one replica move killed before its commit,
 * and the next plan moves those replicas again. A wave whose copy fails is left to the moves' own turns.
 */
final class ReplicaWaves {
    private final List<StepExecutor> executors;
    private final int parallelism;
    private final int perNode;
    private final Optional<StepTools> tools;
    private final Map<Integer, List<MoveReplica>> ahead = new HashMap<>();
    private int waveEnd = -1;

    ReplicaWaves(List<StepExecutor> executors, int parallelism, int perNode, StepTools tools) {
        this(executors, parallelism, perNode, Optional.of(tools));
    }

    private ReplicaWaves(List<StepExecutor> executors, int parallelism, int perNode, Optional<StepTools> tools) {
        this.executors = List.copyOf(requireNonNull(executors, "executors is null"));
        this.parallelism = parallelism;
        this.perNode = perNode;
        this.tools = tools;
    }

    /** Parallelism 1: every replica move makes its own copy at its turn. */
    static ReplicaWaves none(List<StepExecutor> executors) {
        return new ReplicaWaves(executors, 1, 1, Optional.empty());
    }

    /** The executor of the step at {@code index}: a replica move of a wave knows the copies made ahead for the moves after it. */
    StepExecutor executor(int index) {
        List<MoveReplica> later = ahead.remove(index);
        StepExecutor executor = executors.get(index);
        return later == null ? executor : ((MoveReplicaExecutor) executor).withCopiesAhead(later);
    }

    /** Before the step at {@code current} runs from {@code state} (every step before it committed): a replica move past the last wave starts one. */
    void startWave(int current, ClusterState state) {
        if (tools.isEmpty() || current <= waveEnd || !(executors.get(current) instanceof MoveReplicaExecutor)) {
            return;
        }
        List<MoveReplica> moves = new ArrayList<>();
        for (int index : wave(executors, current, parallelism, perNode)) {
            MoveReplicaExecutor executor = (MoveReplicaExecutor) executors.get(index);
            try {
                executor.check(state, null);
            } catch (RuntimeException refused) {
                break; // it fails at its own turn, as without parallelism
            }
            moves.add(executor.step());
        }
        waveEnd = current + moves.size() - 1;
        if (moves.size() < 2) {
            return;
        }
        tools.get().progressLines().accept("making the new copies of " + moves.size() + " replica moves at once: "
                + String.join(", ", moves.stream().map(move -> move.unit().describe() + " " + move.from() + " → " + move.to()).toList()));
        try {
            MoveReplicaExecutor.copy(state, moves, moves, tools.get());
        } catch (SQLException | RuntimeException failed) {
            String reason = failed instanceof ShardmanException known ? known.summary() : String.valueOf(failed.getMessage());
            tools.get().progressLines().accept("the wave's copies did not all finish (" + reason + "): each move makes its own at its turn");
            return;
        }
        for (int position = 0; position < moves.size(); position++) {
            ahead.put(current + position, List.copyOf(moves.subList(position + 1, moves.size())));
        }
    }

    /** The run stopped: one line for each move of the wave whose new copy was made ahead but that did not run. */
    List<String> leftAhead() {
        List<String> lines = ahead.keySet().stream().sorted().map(index -> ((MoveReplicaExecutor) executors.get(index)).step())
                .map(move -> "the new replica of " + move.unit().describe() + " on " + move.to() + " was made ahead of its turn and is not"
                        + " committed: apply or recover drops it, and the plan moves that replica again").toList();
        ahead.clear();
        return lines;
    }

    /**
     * The positions of a wave starting at {@code current} (a replica move): it and the replica moves right after it, up to
     * {@code parallelism}, each of another unit, and no node the primary or destination of more than {@code perNode} of them.
     */
    static List<Integer> wave(List<StepExecutor> executors, int current, int parallelism, int perNode) {
        List<Integer> wave = new ArrayList<>();
        Set<String> units = new HashSet<>();
        Map<String, Integer> load = new HashMap<>();
        for (int index = current; index < executors.size() && wave.size() < parallelism; index++) {
            if (!(executors.get(index) instanceof MoveReplicaExecutor executor) || !units.add(executor.step().unit().name())) {
                break;
            }
            MoveReplica move = executor.step();
            if (load.getOrDefault(move.to(), 0) >= perNode || load.getOrDefault(move.primary(), 0) >= perNode) {
                break;
            }
            load.merge(move.to(), 1, Integer::sum);
            load.merge(move.primary(), 1, Integer::sum);
            wave.add(index);
        }
        return List.copyOf(wave);
    }
}
