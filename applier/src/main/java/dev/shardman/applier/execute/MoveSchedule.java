package dev.shardman.applier.execute;

import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.StepId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Which primary moves may start their copy ahead of their turn (apply {@code --parallelism}). The steps run and commit in
 * plan order on the command thread; a later MovePrimary may copy and catch up meanwhile when nothing it waits for is
 * uncommitted. The planner chains every data move after the one before it ({@code DataMovementChained}) so that they
 * run one at a time: an uncommitted MovePrimary that is itself free therefore does not hold back the moves chained after
 * it, but any other uncommitted step does, and so does a move held back that way (conservative: through the chain, the
 * moves after a held-back one are held back too). At most {@code parallelism} moves run at once, and at most
 * {@code perNode} of them have one node as source or destination.
 */
final class MoveSchedule {
    /** How far past the current step the schedule looks for moves to start (bounds its cost on large plans). */
    static final int LOOKAHEAD = 256;

    private final List<PlannedStep> steps;
    private final Map<StepId, Integer> positions = new HashMap<>();
    private final int parallelism;
    private final int perNode;

    MoveSchedule(List<PlannedStep> steps, int parallelism, int perNode) {
        this.steps = List.copyOf(requireNonNull(steps, "steps is null"));
        if (parallelism < 1 || perNode < 1) {
            throw new IllegalArgumentException("parallelism and the per-node cap must be at least 1: " + parallelism + ", " + perNode);
        }
        this.parallelism = parallelism;
        this.perNode = perNode;
        for (int index = 0; index < this.steps.size(); index++) {
            positions.put(this.steps.get(index).id(), index);
        }
    }

    /**
     * The positions (0-based, ascending) of the moves to start now, when the command thread is about to run the step at
     * {@code current} (every step before it committed) and the moves at {@code running} (after {@code current}) run ahead.
     */
    List<Integer> startable(int current, Set<Integer> running) {
        Map<String, Integer> load = new HashMap<>();
        int busy = 0;
        for (int index : running) {
            busy += occupy(index, load);
        }
        if (!running.contains(current)) {
            busy += occupy(current, load);
        }
        List<Integer> start = new ArrayList<>();
        Set<StepId> held = new HashSet<>();
        int end = Math.min(steps.size(), current + 1 + LOOKAHEAD);
        for (int index = current + 1; index < end && busy < parallelism; index++) {
            PlannedStep planned = steps.get(index);
            if (!(planned.step() instanceof MovePrimary move) || waits(planned, current, held)) {
                held.add(planned.id());
                continue;
            }
            if (running.contains(index) || load.getOrDefault(move.from(), 0) >= perNode || load.getOrDefault(move.to(), 0) >= perNode) {
                continue;
            }
            busy += occupy(index, load);
            start.add(index);
        }
        return List.copyOf(start);
    }

    /** Whether {@code planned} depends on a step not committed yet that holds it back (see the class comment). */
    private boolean waits(PlannedStep planned, int current, Set<StepId> held) {
        for (StepId dependency : planned.dependsOn()) {
            Integer position = positions.get(dependency);
            boolean committed = position != null && position < current;
            if (!committed && (held.contains(dependency) || position == null || !(steps.get(position).step() instanceof MovePrimary))) {
                return true;
            }
        }
        return false;
    }

    /** Counts the move at {@code index} on its two nodes; returns 1 for a move, 0 for another step. */
    private int occupy(int index, Map<String, Integer> load) {
        if (!(steps.get(index).step() instanceof MovePrimary move)) {
            return 0;
        }
        load.merge(move.from(), 1, Integer::sum);
        load.merge(move.to(), 1, Integer::sum);
        return 1;
    }
}
