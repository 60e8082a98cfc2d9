package dev.shardman.applier.execute;

import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeObject;
import dev.shardman.applier.objects.ObjectKey;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Consecutive plain steps that {@link StepRunner} runs as ONE two-phase round: one reconcile from the first step's state
 * before to the last one's after on each affected node (one PREPARE, one gid), one shardlord transaction committing
 * every step of the group. A step is plain when its node work is only that reconcile ({@link StepExecutor#joinsRounds}:
 * catalog work, a node registered), it carries no permission to drop data, has no test fault point armed (so faults
 * stay per step), and leaves the channels and sync settings as they were, at most adding or removing nodes that have
 * none ({@link StepChannels}): nothing of it happens outside the node transaction but the visit of those nodes before
 * it. {@code afters} holds the state after each step, in order.
 */
record StepGroup(List<StepExecutor> executors, List<ClusterState> afters) {
    /**
     * The most locks one node transaction of a group may take: half the smallest lock table PostgreSQL's defaults give
     * (max_locks_per_transaction 64 × (max_connections 100 + at least one prepared transaction)), the other half
     * left to the node's own sessions; a node with a smaller lock table gets half of its own ({@link LockBudgets}).
     * A prepared transaction holds its locks until COMMIT PREPARED.
     */
    static final long LOCK_BUDGET = 3_200;
    /**
     * An object created or changed locks its relation and, for a table, its TOAST table and index: an estimate from above
     * (bench/run-apply.sh's 9 tables of 64 partitions with an index each: estimated 2,907, held 2,559 in pg_locks).
     */
    static final long LOCKS_PER_OBJECT = 3;

    StepGroup {
        executors = List.copyOf(executors);
        afters = List.copyOf(afters);
        if (executors.size() < 2 || executors.size() != afters.size()) {
            throw new IllegalArgumentException("a group has at least two steps, each with its state after");
        }
    }

    /** The state after a step, from its executor's read-only check (the runner's reads the nodes, e.g. a node to register). */
    interface StateCheck {
        ClusterState after(StepExecutor executor, ClusterState before) throws SQLException;
    }

    /** The most locks a group may take on a node, looked up in a state that has the node (a group may register it). */
    interface LockBudget {
        long of(String node, ClusterState state);
    }

    /**
     * The group of the plain steps from {@code index} on, starting from {@code before}; empty when fewer than two
     * would be in it. It ends before the first step that is not plain, or whose work would take a node's transaction
     * over that node's {@code lockBudget} (a step over it on its own runs alone, as every step did before).
     */
    static Optional<StepGroup> at(List<StepExecutor> executors, int index, ClusterState before, Predicate<String> faultArmed,
                                  StateCheck check, LockBudget lockBudget) {
        List<StepExecutor> members = new ArrayList<>();
        List<ClusterState> afters = new ArrayList<>();
        Map<String, Long> locks = new TreeMap<>();
        ClusterState state = before;
        for (int next = index; next < executors.size(); next++) {
            Optional<ClusterState> after = plainAfter(executors.get(next), state, faultArmed, check);
            if (after.isEmpty()) {
                break;
            }
            // each step's own objects (StepScope: the tables it changes), summed: an object two steps change counts twice
            StepScope scope = StepScope.of(state, after.get());
            Map<String, Long> withNext = new TreeMap<>(locks);
            locksByNode(scope.before(), scope.after()).forEach((node, count) -> withNext.merge(node, count, Long::sum));
            if (!members.isEmpty() && overBudget(withNext, lockBudget, after.get())) {
                break;
            }
            locks = withNext;
            members.add(executors.get(next));
            afters.add(after.get());
            state = after.get();
        }
        return members.size() < 2 ? Optional.empty() : Optional.of(new StepGroup(members, afters));
    }

    /** The state after {@code executor}'s step when the step is plain; empty otherwise (it runs alone). */
    static Optional<ClusterState> plainAfter(StepExecutor executor, ClusterState before, Predicate<String> faultArmed, StateCheck check) {
        if (!executor.joinsRounds() || executor.step().requiredPermission().isPresent() || faultArmed.test(executor.step().id().value())) {
            return Optional.empty();
        }
        ClusterState after;
        try {
            after = check.after(executor, before);
        } catch (SQLException | RuntimeException refused) {
            return Optional.empty(); // it fails at its own turn, named as always
        }
        boolean plain = StepChannels.sameChannels(before, after) && executor.stateAtCommit(before, after).equals(after)
                && executor.stateOnNodes(after).equals(after);
        return plain ? Optional.of(after) : Optional.empty();
    }

    /** The most locks a node transaction from {@code from} to {@code to} takes, over the nodes ({@link #locksByNode}). */
    static long locksPerNode(ClusterState from, ClusterState to) {
        return locksByNode(from, to).values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Per node, the locks its transaction from {@code from} to {@code to} takes: its objects that differ, times {@link #LOCKS_PER_OBJECT}. */
    static Map<String, Long> locksByNode(ClusterState from, ClusterState to) {
        TreeSet<String> names = new TreeSet<>();
        from.nodes().stream().map(NodeState::name).forEach(names::add);
        to.nodes().stream().map(NodeState::name).forEach(names::add);
        Map<String, Long> locks = new TreeMap<>();
        for (String name : names) {
            SortedMap<ObjectKey, NodeObject> before = ExpectedObjects.forNode(from, name).objects();
            SortedMap<ObjectKey, NodeObject> after = ExpectedObjects.forNode(to, name).objects();
            TreeSet<ObjectKey> keys = new TreeSet<>(before.keySet());
            keys.addAll(after.keySet());
            long changed = keys.stream().filter(key -> !Objects.equals(before.get(key), after.get(key))).count();
            locks.put(name, changed * LOCKS_PER_OBJECT);
        }
        return locks;
    }

    private static boolean overBudget(Map<String, Long> locks, LockBudget lockBudget, ClusterState state) {
        return locks.entrySet().stream().anyMatch(node -> node.getValue() > 0 && node.getValue() > lockBudget.of(node.getKey(), state));
    }

    ClusterState last() {
        return afters.get(afters.size() - 1);
    }

    /** The step ids, in order. */
    List<String> stepIds() {
        return executors.stream().map(executor -> executor.step().id().value()).toList();
    }

    /** What a progress line calls the group: its first and last step. */
    String describe() {
        List<String> ids = stepIds();
        return executors.size() + " steps (" + ids.get(0) + " … " + ids.get(ids.size() - 1) + ")";
    }
}
