package dev.shardman.planner.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Balances one role (primaries or replicas) inside one replication group with the fewest moves.
 *
 * <p>With U units (held plus unplaced) on k nodes, every node's target is ⌊U/k⌋, and the U mod k
 * nodes that already hold the most (ties: by name) get one more. That choice minimises the moves,
 * Σ max(0, held − target): unplaced units fill the deficits first, then each node above its target
 * gives units to the nodes below theirs (least loaded first, ties by name). A donor gives the unit
 * of the colocation root it holds most of relative to the receiver, which keeps each table spread.
 * Units are never placed where {@link Rules#canPlace} says no (a node never holds two copies); when
 * that forces a copy above a node's target, copies placed by this same run are relocated first, which
 * costs no move.
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

    private final List<String> nodes;
    private final Holdings holdings;
    private final Rules rules;
    private final Map<String, Integer> deficit = new HashMap<>();
    private final TreeSet<String> receivers;
    /** Copies placed by this run, by node: relocating one of them is free (it was not there before the plan). */
    private final Map<String, LinkedHashMap<UnitKey, Integer>> fresh = new HashMap<>();

    private GroupBalancer(List<String> nodes, Holdings holdings, int unplacedCount, Rules rules) {
        this.nodes = nodes;
        this.holdings = holdings;
        this.rules = rules;
        this.receivers = new TreeSet<>(Comparator.<String>comparingInt(holdings::count).thenComparing(Comparator.naturalOrder()));
        long total = holdings.total() + unplacedCount;
        long base = total / nodes.size();
        long extra = total % nodes.size();
        List<String> byLoad = nodes.stream()
                .sorted(Comparator.<String>comparingInt(holdings::count).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
        for (int i = 0; i < byLoad.size(); i++) {
            String node = byLoad.get(i);
            long target = base + (i < extra ? 1 : 0);
            deficit.put(node, (int) (target - holdings.count(node)));
            if (deficit.get(node) > 0) {
                receivers.add(node);
            }
        }
    }

    static Result balance(List<String> nodes, Holdings holdings, List<Unplaced> unplaced, Rules rules) {
        if (nodes.isEmpty()) {
            return new Result(List.of(), List.of(), List.copyOf(unplaced));
        }
        return new GroupBalancer(nodes, holdings, unplaced.size(), rules).run(unplaced);
    }

    private Result run(List<Unplaced> unplaced) {
        List<Assignment> assignments = new ArrayList<>();
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
        List<Move> moves = new ArrayList<>();
        for (String donor : nodes) {
            while (deficit.get(donor) < 0) {
                Move move = nextMove(donor);
                if (move == null) {
                    break;
                }
                holdings.remove(donor, move.unit());
                rules.unplace(move.unit(), donor);
                adjust(donor, 1);
                receivers.remove(move.to());
                holdings.add(move.to(), move.unit());
                adjust(move.to(), -1);
                rules.place(move.unit(), move.to());
                Integer assignment = fresh.getOrDefault(donor, new LinkedHashMap<>()).remove(move.unit());
                if (assignment != null) {
                    assignments.set(assignment, new Assignment(assignments.get(assignment).unplaced(), move.to()));
                    fresh.computeIfAbsent(move.to(), key -> new LinkedHashMap<>()).put(move.unit(), assignment);
                } else {
                    moves.add(move);
                }
            }
        }
        return new Result(assignments, moves, unplaceable);
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
            if (best != null && holdings.count(node) > holdings.count(best)) {
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
        String fallback = null;
        for (String node : nodes) {
            if (rules.canPlace(unit, node) && (fallback == null || holdings.count(node) < holdings.count(fallback))) {
                fallback = node;
            }
        }
        return fallback;
    }

    private UnitKey firstPlaceable(TreeSet<UnitKey> units, String receiver) {
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
        TreeMap<String, TreeSet<UnitKey>> roots = holdings.rootsOn(donor);
        for (String receiver : receivers) {
            String best = null;
            int bestScore = Integer.MAX_VALUE;
            for (Map.Entry<String, TreeSet<UnitKey>> entry : roots.entrySet()) {
                int score = holdings.count(receiver, entry.getKey()) - entry.getValue().size();
                if (score < bestScore && firstPlaceable(entry.getValue(), receiver) != null) {
                    best = entry.getKey();
                    bestScore = score;
                }
            }
            if (best != null) {
                return new Move(firstPlaceable(roots.get(best), receiver), donor, receiver);
            }
        }
        return null;
    }
}
