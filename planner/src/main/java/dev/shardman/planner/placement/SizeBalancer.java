package dev.shardman.planner.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Balances one role (primaries or replicas) of one replication group by bytes, so that every node's load ends inside
 * its {@link SizeTargets} band: waiting copies first, largest first, then greedily the single move that most reduces
 * the distance outside the bands. The fewest moves is NP-hard; this takes few moves and never a useless one. Pinned
 * copies are load, never moved (docs/internals/placement.md, "Size balancing").
 */
final class SizeBalancer {
    interface Rules {
        boolean canPlace(UnitKey unit, String node);

        void place(UnitKey unit, String node);

        void unplace(UnitKey unit, String node);
    }

    /** Where a copy ends: moved {@code from} a node, or placed for the {@code waiting} copy (exactly one is non-null). */
    record Change(UnitKey unit, String from, Unplaced waiting, String to) {
    }

    /** A copy on a node, ordered by bytes then unit; a null unit sorts after every unit of its size (a lookup probe). */
    private record Copy(long bytes, UnitKey unit) {
        static final Comparator<Copy> ORDER = Comparator.comparingLong(Copy::bytes).thenComparing(Copy::unit, Comparator.nullsLast(Comparator.naturalOrder()));
    }

    private record CopyAt(UnitKey unit, String node) {
        static final Comparator<CopyAt> ORDER = Comparator.comparing(CopyAt::unit).thenComparing(CopyAt::node);
    }

    private record Candidate(Copy copy, String from, String to, long reduction) {
        static final Comparator<Candidate> BETTER_FIRST = Comparator.comparingLong(Candidate::reduction).reversed()
                .thenComparing(Candidate::copy, Copy.ORDER).thenComparing(Candidate::from).thenComparing(Candidate::to);
    }

    private final List<String> nodes;
    private final Rules rules;
    private final ToLongFunction<UnitKey> bytes;
    private final Map<String, TreeSet<Copy>> copies = new HashMap<>();
    private final Map<String, Long> load = new HashMap<>();
    /** Copies this run placed or moved, by where they are now: the node they came from, or the waiting copy. */
    private final TreeMap<CopyAt, Object> origins = new TreeMap<>(CopyAt.ORDER);
    private SizeTargets targets;

    private SizeBalancer(List<String> nodes, Rules rules, ToLongFunction<UnitKey> bytes) {
        this.nodes = nodes;
        this.rules = rules;
        this.bytes = bytes;
    }

    /**
     * A balancer for one role; nothing is placed or moved until {@link #placeWaiting} and {@link #moveUntilBalanced}.
     *
     * @param held each node's copies of the role that may move (pinned ones not among them)
     * @param waiting the copies of the role that need a node (they count in the targets from the start)
     * @param pinned each node's pinned bytes of the role (absent: none)
     */
    static SizeBalancer of(List<String> nodes, Map<String, ? extends Iterable<UnitKey>> held, List<Unplaced> waiting, ToLongFunction<UnitKey> bytes,
                           Map<String, Long> pinned, Map<String, Long> weights, int tolerancePercent, Rules rules) {
        SizeBalancer balancer = new SizeBalancer(nodes, rules, bytes);
        long total = 0;
        for (String node : nodes) {
            TreeSet<Copy> onNode = new TreeSet<>(Copy.ORDER);
            Iterable<UnitKey> units = held.get(node);
            if (units != null) {
                units.forEach(unit -> onNode.add(new Copy(bytes.applyAsLong(unit), unit)));
            }
            balancer.copies.put(node, onNode);
            balancer.load.put(node, pinned.getOrDefault(node, 0L) + onNode.stream().mapToLong(Copy::bytes).sum());
            total += balancer.load.get(node);
        }
        total += waiting.stream().mapToLong(copy -> bytes.applyAsLong(copy.unit())).sum();
        balancer.targets = SizeTargets.compute(nodes, pinned, weights, total, tolerancePercent);
        return balancer;
    }

    /** Places the waiting copies, largest first; returns those no node may take. */
    List<Unplaced> placeWaiting(List<Unplaced> waiting) {
        List<Unplaced> largestFirst = new ArrayList<>(waiting);
        largestFirst.sort(Comparator.comparingLong((Unplaced copy) -> bytes.applyAsLong(copy.unit())).reversed().thenComparing(Unplaced::unit));
        List<Unplaced> unplaceable = new ArrayList<>();
        for (Unplaced copy : largestFirst) {
            String best = null;
            for (String node : nodes) {
                if (rules.canPlace(copy.unit(), node) && (best == null || room(node) > room(best))) {
                    best = node;
                }
            }
            if (best == null) {
                unplaceable.add(copy);
                continue;
            }
            Copy placed = new Copy(bytes.applyAsLong(copy.unit()), copy.unit());
            copies.get(best).add(placed);
            load.merge(best, placed.bytes(), Long::sum);
            rules.place(copy.unit(), best);
            origins.put(new CopyAt(copy.unit(), best), copy);
        }
        return unplaceable;
    }

    private long room(String node) {
        return targets.target(node) - load.get(node);
    }

    /**
     * Moves copies while a move reduces the distance outside the bands; returns how many it made. Each move strictly
     * reduces that distance, so it ends; the bound of a few moves per copy is a guard only.
     */
    int moveUntilBalanced() {
        long bound = 4L * copies.values().stream().mapToLong(TreeSet::size).sum() + nodes.size();
        int moves = 0;
        while (moves < bound) {
            Candidate best = bestMove();
            if (best == null) {
                break;
            }
            move(best);
            moves++;
        }
        return moves;
    }

    /** The best move that reduces the distance outside the bands; null when none does. Only pairs with a node outside its band can. */
    private Candidate bestMove() {
        Candidate best = null;
        for (String donor : nodes) {
            boolean donorOver = load.get(donor) > targets.upper(donor);
            for (String receiver : nodes) {
                if (!donor.equals(receiver) && (donorOver || load.get(receiver) < targets.lower(receiver))) {
                    best = better(best, bestBetween(donor, receiver));
                }
            }
        }
        return best;
    }

    private Candidate bestBetween(String donor, String receiver) {
        long donorLoad = load.get(donor);
        long receiverLoad = load.get(receiver);
        long[] breakpoints = {donorLoad - targets.upper(donor), donorLoad - targets.lower(donor),
                targets.upper(receiver) - receiverLoad, targets.lower(receiver) - receiverLoad};
        Candidate best = null;
        TreeSet<Copy> onDonor = copies.get(donor);
        for (long point : breakpoints) {
            if (point > 0) {
                Copy probe = new Copy(point, null);
                best = better(best, firstPlaceable(onDonor.headSet(probe, true).descendingIterator(), donor, receiver));
                best = better(best, firstPlaceable(onDonor.tailSet(probe, false).iterator(), donor, receiver));
            }
        }
        return best;
    }

    private Candidate firstPlaceable(Iterator<Copy> candidates, String donor, String receiver) {
        while (candidates.hasNext()) {
            Copy copy = candidates.next();
            if (copy.bytes() > 0 && rules.canPlace(copy.unit(), receiver)) {
                long reduction = targets.excess(donor, load.get(donor)) + targets.excess(receiver, load.get(receiver))
                        - targets.excess(donor, load.get(donor) - copy.bytes()) - targets.excess(receiver, load.get(receiver) + copy.bytes());
                return reduction > 0 ? new Candidate(copy, donor, receiver, reduction) : null;
            }
        }
        return null;
    }

    private static Candidate better(Candidate current, Candidate other) {
        if (other == null) {
            return current;
        }
        return current == null || Candidate.BETTER_FIRST.compare(other, current) < 0 ? other : current;
    }

    private void move(Candidate move) {
        UnitKey unit = move.copy().unit();
        copies.get(move.from()).remove(move.copy());
        load.merge(move.from(), -move.copy().bytes(), Long::sum);
        rules.unplace(unit, move.from());
        copies.get(move.to()).add(move.copy());
        load.merge(move.to(), move.copy().bytes(), Long::sum);
        rules.place(unit, move.to());
        Object origin = origins.remove(new CopyAt(unit, move.from()));
        origins.put(new CopyAt(unit, move.to()), origin == null ? move.from() : origin);
    }

    /** Every copy placed, or moved away from where it was, by this balancer, by unit then node. */
    List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        origins.forEach((copy, origin) -> {
            if (origin instanceof Unplaced waiting) {
                changes.add(new Change(copy.unit(), null, waiting, copy.node()));
            } else if (!origin.equals(copy.node())) {
                changes.add(new Change(copy.unit(), (String) origin, null, copy.node()));
            }
        });
        return changes;
    }
}
