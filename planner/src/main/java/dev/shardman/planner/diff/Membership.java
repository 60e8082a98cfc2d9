package dev.shardman.planner.diff;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import static java.util.Objects.requireNonNull;

/**
 * Who holds data after the plan, and who is going away.
 *
 * @param liveNodesByGroup final live nodes (in the spec, not lost) by replication group; both sorted by name
 * @param groupOf the replication group of every node named in the spec or the state
 * @param unavailable nodes that are lost (in the spec or already in the state): their copies are gone
 * @param leaving live nodes of the state that the spec no longer lists: they are drained
 * @param workingNodes nodes that hold catalogs while the plan runs (live in the state or final), sorted
 */
public record Membership(
        SortedMap<String, List<String>> liveNodesByGroup,
        Map<String, String> groupOf,
        Set<String> unavailable,
        Set<String> leaving,
        List<String> workingNodes) {

    public Membership {
        requireNonNull(liveNodesByGroup, "liveNodesByGroup is null");
        groupOf = Map.copyOf(requireNonNull(groupOf, "groupOf is null"));
        unavailable = Set.copyOf(requireNonNull(unavailable, "unavailable is null"));
        leaving = Set.copyOf(requireNonNull(leaving, "leaving is null"));
        workingNodes = List.copyOf(requireNonNull(workingNodes, "workingNodes is null"));
    }

    /** A node that holds data at the end: neither lost nor leaving. */
    public boolean isStaying(String node) {
        return !unavailable.contains(node) && !leaving.contains(node) && groupOf.containsKey(node)
                && liveNodesByGroup.getOrDefault(groupOf.get(node), List.of()).contains(node);
    }

    public List<String> finalLiveNodes() {
        return liveNodesByGroup.values().stream().flatMap(List::stream).sorted().toList();
    }
}
