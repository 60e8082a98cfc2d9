package dev.shardman.planner.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Balances one role (primaries or replicas) inside one replication group with the fewest moves: targets of ⌊U/k⌋, the
 * extra slots to the nodes that already hold most ({@link Targets}), then donors give to the least loaded, never where
 * {@link Rules#canPlace} says no, with chains and re-routes when that blocks the direct way. The property test
 * ({@code PlanPropertiesTest}) checks the count against a min-cost-flow minimum. Rules in order:
 * docs/internals/placement.md, "Balancing one role".
 */
final class GroupBalancer {
    interface Rules {
        boolean canPlace(UnitKey unit, String node);

        void place(UnitKey unit, String node);

        void unplace(UnitKey unit, String node);

        /** Among equally loaded receivers of a new copy, lower is preferred (spreads replicas of one node's primaries). */
        default int preference(UnitKey unit, String node) {
            return 0;
        }
    }

    record Assignment(Unplaced unplaced, String node) {
    }

    record Move(UnitKey unit, String from, String to) {
    }

    record Result(List<Assignment> assignments, List<Move> moves, List<Unplaced> unplaceable) {
    }

    /**
     * What besides the holdings decides the targets: each node's pinned copies of the role (absent: none) and
     * weight in thousandths (absent: 1000).
     */
    record Loads(Map<String, Integer> pinned, Map<String, Long> weights) {
        static final Loads EVEN = new Loads(Map.of(), Map.of());
    }

    private final List<String> nodes;
    private final Holdings holdings;
    private final Rules rules;
    private final Map<String, Integer> deficit = new HashMap<>();
    /** Each node's target: its floor or one more; an extra slot may change hands (see {@link #shiftExtraSlot}). */
    private final Map<String, Long> target = new HashMap<>();
    private final Map<String, Integer> heldBefore = new HashMap<>();
    private final Targets targets;
    private final Map<String, Integer> pinned;
    private final TreeSet<String> receivers;
    /** Copies placed by this run, by node: relocating one of them is free (it was not there before the plan). */
    private final Map<String, LinkedHashMap<UnitKey, Integer>> fresh = new HashMap<>();
    private final List<Assignment> assignments = new ArrayList<>();
    /** Moves of this run by (unit, destination): a unit moved again is one move from where it was (none if it comes back). */
    private final LinkedHashMap<List<Object>, Move> moves = new LinkedHashMap<>();

    private GroupBalancer(List<String> nodes, Holdings holdings, int unplacedCount, Rules rules, Loads loads) {
        this.nodes = nodes;
        this.holdings = holdings;
        this.rules = rules;
        this.pinned = loads.pinned();
        this.receivers = new TreeSet<>(Comparator.<String>comparingInt(this::load).thenComparing(Comparator.naturalOrder()));
        long total = holdings.total() + unplacedCount + pinned.values().stream().mapToLong(Integer::longValue).sum();
        targets = Targets.compute(nodes, this::load, pinned, loads.weights(), total);
        for (String node : nodes) {
            target.put(node, targets.target(node));
            heldBefore.put(node, load(node));
            deficit.put(node, (int) (targets.target(node) - load(node)));
            if (deficit.get(node) > 0) {
                receivers.add(node);
            }
        }
    }

    /** What a node holds in this role, its pinned copies included. */
    private int load(String node) {
        return holdings.count(node) + pinned.getOrDefault(node, 0);
    }

    static Result balance(List<String> nodes, Holdings holdings, List<Unplaced> unplaced, Rules rules) {
        return balance(nodes, holdings, unplaced, true, Loads.EVEN, rules);
    }

    /** Places {@code unplaced}, then, if {@code moveCopies}, moves copies until the group is balanced. */
    static Result balance(List<String> nodes, Holdings holdings, List<Unplaced> unplaced, boolean moveCopies, Loads loads, Rules rules) {
        if (nodes.isEmpty()) {
            return new Result(List.of(), List.of(), List.copyOf(unplaced));
        }
        return new GroupBalancer(nodes, holdings, unplaced.size(), rules, loads).run(unplaced, moveCopies);
    }

    private Result run(List<Unplaced> unplaced, boolean moveCopies) {
        List<Unplaced> unplaceable = new ArrayList<>();
        for (Unplaced copy : unplaced) {
            String node = receiverFor(copy.unit());
            if (node == null) {
                unplaceable.add(copy);
                continue;
            }
            receivers.remove(node);
            holdings.add(node, copy.unit());
            adjust(node, -1);
            rules.place(copy.unit(), node);
            fresh.computeIfAbsent(node, key -> new LinkedHashMap<>()).put(copy.unit(), assignments.size());
            assignments.add(new Assignment(copy, node));
        }
        for (String donor : moveCopies ? nodes : List.<String>of()) {
            while (deficit.get(donor) < 0) {
                Move move = nextMove(donor);
                if (move == null) {
                    break;
                }
                apply(move);
            }
        }
        return new Result(assignments, List.copyOf(moves.values()), unplaceable);
    }

    /** Carries out a move: relocating a copy placed by this run only changes its assignment; any other is a move step. */
    private void apply(Move move) {
        holdings.remove(move.from(), move.unit());
        rules.unplace(move.unit(), move.from());
        adjust(move.from(), 1);
        receivers.remove(move.to());
        holdings.add(move.to(), move.unit());
        adjust(move.to(), -1);
        rules.place(move.unit(), move.to());
        Integer assignment = fresh.getOrDefault(move.from(), new LinkedHashMap<>()).remove(move.unit());
        if (assignment != null) {
            assignments.set(assignment, new Assignment(assignments.get(assignment).unplaced(), move.to()));
            fresh.computeIfAbsent(move.to(), key -> new LinkedHashMap<>()).put(move.unit(), assignment);
        } else {
            Move earlier = moves.remove(List.of(move.unit(), move.from()));
            String origin = earlier != null ? earlier.from() : move.from();
            if (!origin.equals(move.to())) {
                moves.put(List.of(move.unit(), move.to()), new Move(move.unit(), origin, move.to()));
            }
        }
    }

    /**
     * Changes a node's remaining deficit by {@code delta} and files it again among the receivers. The
     * caller removes a node from the receivers before changing its holdings (their order reads them).
     */
    private void adjust(String node, int delta) {
        receivers.remove(node);
        deficit.merge(node, delta, Integer::sum);
        if (deficit.get(node) > 0) {
            receivers.add(node);
        }
    }

    /** The least loaded receiver below its target that can take the unit (ties: preference, then name). */
    private String receiverFor(UnitKey unit) {
        String best = null;
        for (String node : receivers) {
            if (best != null && load(node) > load(best)) {
                break;
            }
            if (rules.canPlace(unit, node) && (best == null || rules.preference(unit, node) < rules.preference(unit, best))) {
                best = node;
            }
        }
        if (best != null) {
            return best;
        }
        for (String node : receivers) {
            if (rules.canPlace(unit, node)) {
                return node;
            }
        }
        String shifted = shiftExtraSlot(unit);
        if (shifted != null) {
            return shifted;
        }
        String freed = freeSlotFor(unit);
        if (freed != null) {
            return freed;
        }
        String fallback = null;
        for (String node : nodes) {
            if (rules.canPlace(unit, node) && (fallback == null || load(node) < load(fallback))) {
                fallback = node;
            }
        }
        return fallback;
    }

    private UnitKey firstPlaceable(Iterable<UnitKey> units, String receiver) {
        for (UnitKey unit : units) {
            if (rules.canPlace(unit, receiver)) {
                return unit;
            }
        }
        return null;
    }

    /**
     * A move off {@code donor}: a copy placed by this run if one fits somewhere, else a unit of the root
     * the donor holds most of relative to the receiver (ties: root name), for the least loaded receiver
     * that can take one.
     */
    private Move nextMove(String donor) {
        for (String receiver : receivers) {
            for (UnitKey unit : fresh.getOrDefault(donor, new LinkedHashMap<>()).keySet()) {
                if (rules.canPlace(unit, receiver)) {
                    return new Move(unit, donor, receiver);
                }
            }
        }
        for (String receiver : receivers) {
            UnitKey unit = bestRootUnit(donor, receiver);
            if (unit != null) {
                return new Move(unit, donor, receiver);
            }
        }
        for (UnitKey unit : new ArrayList<>(fresh.getOrDefault(donor, new LinkedHashMap<>()).keySet())) {
            String shifted = shiftExtraSlot(unit);
            if (shifted != null) {
                return new Move(unit, donor, shifted);
            }
        }
        for (UnitKey unit : holdings.unitsOn(donor)) {
            String shifted = shiftExtraSlot(unit);
            if (shifted != null) {
                return new Move(unit, donor, shifted);
            }
        }
        Move rerouted = rerouteEarlierMove(donor);
        return rerouted != null ? rerouted : chainMove(donor);
    }

    /**
     * The first unit the receiver can take of the root with the lowest score (receiver's units of it − donor's), ties by
     * name; null when none. Scans the donor's roots by its count, most first: a
     * root held {@code h} times scores at least −h, so the scan stops once −h exceeds the best score (with a
     * donor holding about one unit of each root it usually looks at one or two roots, not all of them).
     */
    private UnitKey bestRootUnit(String donor, String receiver) {
        String best = null;
        UnitKey bestUnit = null;
        int bestScore = Integer.MAX_VALUE;
        Map<String, Integer> receiverCounts = holdings.countsByRootOn(receiver);
        for (Map.Entry<Integer, TreeSet<String>> bucket : holdings.rootsByCountOn(donor).entrySet()) {
            int held = bucket.getKey();
            if (-held > bestScore) {
                break;
            }
            for (String root : bucket.getValue()) {
                if (best != null && bestScore == -held && best.compareTo(root) < 0) {
                    break;
                }
                int score = receiverCounts.getOrDefault(root, 0) - held;
                UnitKey unit = score < bestScore || score == bestScore && root.compareTo(best) < 0 ? firstPlaceable(holdings.unitsOn(donor, root), receiver) : null;
                if (unit != null) {
                    best = root;
                    bestUnit = unit;
                    bestScore = score;
                }
            }
        }
        return bestUnit;
    }

    /**
     * {@code donor} can give none of its units to any node below its target, but an earlier move of this run
     * (v from X to Y) took a slot that one of the donor's units could use: undoes it, moves a unit of X to a
     * node below target instead, and returns the donor's unit's move to Y. One move per unit shed, as if the
     * earlier choice had been right (one augmenting step). Null when there is no such earlier move.
     */
    private Move rerouteEarlierMove(String donor) {
        List<Move> earlierMoves = new ArrayList<>(moves.values());
        for (String receiver : receivers) {
            for (int index = earlierMoves.size() - 1; index >= 0; index--) {
                Move earlier = earlierMoves.get(index);
                if (earlier.to().equals(donor) || earlier.from().equals(donor) || earlier.to().equals(receiver)) {
                    continue;
                }
                UnitKey incoming = firstPlaceable(holdings.unitsOn(donor), earlier.to());
                if (incoming == null) {
                    continue;
                }
                UnitKey outgoing = rules.canPlace(earlier.unit(), receiver) ? earlier.unit() : firstPlaceable(holdings.unitsOn(earlier.from()), receiver);
                if (outgoing == null) {
                    continue;
                }
                moves.remove(List.of(earlier.unit(), earlier.to()));
                holdings.remove(earlier.to(), earlier.unit());
                rules.unplace(earlier.unit(), earlier.to());
                adjust(earlier.to(), 1);
                holdings.add(earlier.from(), earlier.unit());
                rules.place(earlier.unit(), earlier.from());
                adjust(earlier.from(), -1);
                apply(new Move(outgoing, earlier.from(), receiver));
                return new Move(incoming, donor, earlier.to());
            }
        }
        return null;
    }

    /**
     * No node below its target can take {@code unit}: finds the shortest chain of copies placed by this run
     * (relocating them is free) that ends at a node below its target, or at one that can take an extra slot
     * ({@link #shiftExtraSlot}), starting from a node at its target that can take the unit; relocates them,
     * last first, and returns that first node, which now has room (an augmenting path of the copies-to-slots
     * matching). Null when there is none.
     */
    private String freeSlotFor(UnitKey unit) {
        Map<String, String> previous = new HashMap<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
        for (String node : nodes) {
            if (deficit.get(node) == 0 && rules.canPlace(unit, node)) {
                previous.put(node, node);
                queue.add(node);
            }
        }
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : nodes) {
                if (previous.containsKey(next) || freshGivable(node, next) == null) {
                    continue;
                }
                previous.put(next, node);
                if (receivers.contains(next) || shiftExtraSlot(freshGivable(node, next), next)) {
                    String to = next;
                    for (String from = node; !to.equals(from); to = from, from = previous.get(from)) {
                        apply(new Move(freshGivable(from, to), from, to));
                    }
                    return to;
                }
                queue.add(next);
            }
        }
        return null;
    }

    private UnitKey freshGivable(String from, String to) {
        for (UnitKey unit : fresh.getOrDefault(from, new LinkedHashMap<>()).keySet()) {
            if (rules.canPlace(unit, to)) {
                return unit;
            }
        }
        return null;
    }

    /**
     * {@code donor} can give none of its units to any node below its target: finds the shortest chain donor →
     * n1 → ... → receiver in which each node can give one of its units (preferably a copy placed by this run)
     * to the next, carries out the moves after the first (last first, so that every node keeps its count), and
     * returns the first. Costs one move per hop where the constraints forbid the direct one; null when no
     * chain exists.
     */
    private Move chainMove(String donor) {
        Map<String, String> previous = new HashMap<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>(List.of(donor));
        previous.put(donor, donor);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : nodes) {
                if (previous.containsKey(next) || givable(node, next) == null) {
                    continue;
                }
                previous.put(next, node);
                if (receivers.contains(next)) {
                    return applyChain(donor, next, previous);
                }
                queue.add(next);
            }
        }
        return null;
    }

    private Move applyChain(String donor, String receiver, Map<String, String> previous) {
        String to = receiver;
        String from = previous.get(to);
        while (!from.equals(donor)) {
            apply(new Move(givable(from, to), from, to));
            to = from;
            from = previous.get(to);
        }
        return new Move(givable(donor, to), donor, to);
    }

    /** A unit that {@code from} holds and {@code to} may take: a copy placed by this run first. */
    private UnitKey givable(String from, String to) {
        for (UnitKey unit : fresh.getOrDefault(from, new LinkedHashMap<>()).keySet()) {
            if (rules.canPlace(unit, to)) {
                return unit;
            }
        }
        return firstPlaceable(holdings.unitsOn(from), to);
    }

    /**
     * No node below its target can take {@code unit}: hands the extra slot (target floor + 1) of a node still
     * short of it to a node at its floor that can take the unit, and returns that node (now one short). Only
     * between nodes that held at most their floor before this run, so that neither would have had to give
     * anything away with either target: the number of moves stays the least, and every target stays within its
     * tolerance. A node capped at its pins takes no extra slot. Null when no such pair exists.
     */
    private String shiftExtraSlot(UnitKey unit) {
        for (String node : nodes) {
            if (shiftExtraSlot(unit, node)) {
                return node;
            }
        }
        return null;
    }

    /** Hands an extra slot to {@code taker} for {@code unit} if the rule of {@link #shiftExtraSlot(UnitKey)} allows it. */
    private boolean shiftExtraSlot(UnitKey unit, String taker) {
        if (deficit.get(taker) != 0 || targets.capped(taker) || target.get(taker) != targets.floor(taker)
                || heldBefore.get(taker) > targets.floor(taker) || !rules.canPlace(unit, taker)) {
            return false;
        }
        String giver = null;
        for (String node : receivers) {
            if (target.get(node) == targets.floor(node) + 1) {
                giver = node;
                break;
            }
        }
        if (giver == null || giver.equals(taker)) {
            return false;
        }
        target.put(giver, targets.floor(giver));
        adjust(giver, -1);
        target.put(taker, targets.floor(taker) + 1);
        adjust(taker, 1);
        return true;
    }
}
