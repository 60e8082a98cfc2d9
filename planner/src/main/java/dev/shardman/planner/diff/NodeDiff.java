package dev.shardman.planner.diff;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.planner.step.CreateForeignServers;
import dev.shardman.planner.step.DropForeignServers;
import dev.shardman.planner.step.MarkNodeLost;
import dev.shardman.planner.step.RegisterNode;
import dev.shardman.planner.step.RemoveNode;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.UpdateNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Node steps: register and connect new nodes, update changed ones, fence newly lost ones, disconnect
 * and remove the ones the spec no longer lists (after their drain, which placement plans). A node the
 * metadata holds as lost but the spec lists without {@code lost: true} (the monitor failed it over, or
 * the flag was dropped) plans nothing: a lost node never comes back; a warning asks for the spec edit.
 */
public final class NodeDiff {
    private final List<Step> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Membership membership;
    // the membership as the steps leave it, filled while the steps are planned
    private final Map<String, String> groupOf = new HashMap<>();
    private final Set<String> unavailable = new HashSet<>();
    private final Set<String> leaving = new HashSet<>();
    private final TreeMap<String, List<String>> liveByGroup = new TreeMap<>();
    private final TreeSet<String> working = new TreeSet<>();
    private final List<String> connected = new ArrayList<>();
    /** The nodes connected before this plan: a node it registers never gets a server for a lost node. */
    private final List<String> connectedBefore;

    private NodeDiff(ClusterSpec spec, ClusterState state, Set<String> nodesHoldingData, Problems problems) {
        Set<String> lostInSpec = new HashSet<>();
        spec.nodes().stream().filter(NodeSpec::lost).forEach(node -> lostInSpec.add(node.name()));
        for (NodeState node : state.nodes()) {
            groupOf.put(node.name(), node.replicationGroup());
            if (node.lost()) {
                unavailable.add(node.name());
            } else if (!lostInSpec.contains(node.name())) {
                connected.add(node.name());
                working.add(node.name());
            }
        }
        connectedBefore = List.copyOf(connected);
        Map<String, NodeState> stateNodes = new LinkedHashMap<>();
        state.nodes().forEach(node -> stateNodes.put(node.name(), node));
        long nextId = state.nodes().stream().mapToLong(NodeState::id).max().orElse(0) + 1;
        for (NodeSpec node : spec.nodes()) {
            NodeState current = stateNodes.get(node.name());
            if (current == null && !node.lost()) {
                register(SpecConversion.node(node, nextId++));
            } else if (current != null) {
                keep(node, current, nodesHoldingData, problems);
            }
        }
        Set<String> inSpec = new HashSet<>();
        spec.nodes().forEach(node -> inSpec.add(node.name()));
        state.nodes().stream().filter(node -> !inSpec.contains(node.name())).forEach(this::remove);
        liveByGroup.replaceAll((group, nodes) -> nodes.stream().sorted().toList());
        working.removeAll(unavailable);
        membership = new Membership(liveByGroup, groupOf, unavailable, leaving, List.copyOf(working));
    }

    /** A node new to the metadata: registered, then connected to the nodes before it. */
    private void register(NodeState registered) {
        steps.add(new RegisterNode(registered));
        if (!connected.isEmpty()) {
            // The first node has no peer to connect to; a step that does nothing is noise in a review.
            steps.add(new CreateForeignServers(registered.name(), connected));
        }
        connected.add(registered.name());
        groupOf.put(registered.name(), registered.replicationGroup());
        working.add(registered.name());
        liveByGroup.computeIfAbsent(registered.replicationGroup(), group -> new ArrayList<>()).add(registered.name());
    }

    /** A node in both: lost now (fenced), lost before (a warning if the spec disagrees), or updated where it changed. */
    private void keep(NodeSpec node, NodeState current, Set<String> nodesHoldingData, Problems problems) {
        if (current.lost()) {
            if (!node.lost()) {
                warnings.add(lostInStateOnly(node.name()));
            }
            return;
        }
        if (node.lost()) {
            steps.add(new MarkNodeLost(node.name(), current.replicationGroup()));
            unavailable.add(node.name());
            return;
        }
        String group = node.replicationGroup();
        if (!group.equals(current.replicationGroup()) && nodesHoldingData.contains(node.name())) {
            problems.add("node " + node.name() + " holds partitions and cannot change replication group (" + current.replicationGroup()
                    + " → " + node.replicationGroup() + "); data never moves between groups: remove it and add it again under another name");
            group = current.replicationGroup();
        }
        NodeState desired = new NodeState(current.id(), node.name(), current.systemIdentifier(), node.superConninfo(), node.conninfo(), group, false);
        if (!desired.equals(current)) {
            steps.add(new UpdateNode(current, desired));
        }
        groupOf.put(node.name(), group);
        liveByGroup.computeIfAbsent(group, ignored -> new ArrayList<>()).add(node.name());
    }

    /** A node the spec no longer lists: disconnected from the others, then removed (after its drain). */
    private void remove(NodeState node) {
        if (!node.lost()) {
            leaving.add(node.name());
        }
        List<String> peers = (node.lost() ? connectedBefore : connected).stream().filter(peer -> !peer.equals(node.name())).toList();
        steps.add(new DropForeignServers(node.name(), peers));
        steps.add(new RemoveNode(node.name(), node.lost()));
    }

    /**
     * @param nodesHoldingData nodes that hold a primary or a replica in the state (they may not change group)
     */
    public static NodeDiff diff(ClusterSpec spec, ClusterState state, Set<String> nodesHoldingData, Problems problems) {
        return new NodeDiff(spec, state, nodesHoldingData, problems);
    }

    /** The words plan and drift-check print for a node that is lost in the metadata only: never undone, the spec must follow. */
    public static String lostInStateOnly(String node) {
        return "node " + node + " is lost in the metadata (failed over, e.g. automatically by shardman monitor) but the spec lists it"
                + " without lost: true; mark it lost: true in the spec (or remove it): a lost node is never brought back, a server"
                + " that returns joins under another name";
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** What the spec should say about the nodes and does not, one sentence each (for display; plans nothing). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public Membership membership() {
        return membership;
    }
}
