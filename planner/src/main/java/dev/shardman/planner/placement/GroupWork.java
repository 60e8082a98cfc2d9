package dev.shardman.planner.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** One replication group's staying nodes, holdings and copies waiting for a node. */
final class GroupWork {
    final String name;
    final List<String> nodes;
    /** Replaced only when a balancing attempt is undone. */
    Holdings primaries;
    Holdings replicas;
    final List<Unplaced> unplacedPrimaries = new ArrayList<>();
    final List<Unplaced> unplacedReplicas = new ArrayList<>();
    long units;
    /** The sum of the nodes' weights, in thousandths; whether they are all alike. */
    final long weight;
    final boolean evenWeights;
    /** The units pinned in this group, and per node its pinned copies of each role (these are not in the holdings). */
    final List<UnitKey> pinned = new ArrayList<>();
    final Map<String, Integer> pinnedPrimaries = new HashMap<>();
    final Map<String, Integer> pinnedReplicas = new HashMap<>();

    GroupWork(String name, List<String> nodes, Steering steering) {
        this.name = name;
        this.nodes = nodes;
        this.primaries = new Holdings(nodes);
        this.replicas = new Holdings(nodes);
        this.weight = nodes.stream().mapToLong(steering::weight).sum();
        this.evenWeights = nodes.stream().mapToLong(steering::weight).distinct().count() <= 1;
    }

    /** Pins or uneven weights: balanced by {@link GroupBalancer} alone, against {@link Targets}. */
    boolean steered() {
        return !pinned.isEmpty() || !evenWeights;
    }

    /** The units whose primary is in the holdings, in unit order. */
    List<UnitKey> primaryUnits() {
        TreeSet<UnitKey> keys = new TreeSet<>();
        nodes.forEach(node -> keys.addAll(primaries.unitsOn(node)));
        return List.copyOf(keys);
    }
}
