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

    private NodeDiff(ClusterSpec spec, ClusterState state, Set<String> nodesHoldingData, Problems problems) {
        Map<String, NodeState> stateNodes = new LinkedHashMap<>();
        state.nodes().forEach(node -> stateNodes.put(node.name(), node));
        Map<String, String> groupOf = new HashMap<>();
        Set<String> unavailable = new HashSet<>();
        Set<String> leaving = new HashSet<>();
        TreeMap<String, List<String>> liveByGroup = new TreeMap<>();
        TreeSet<String> working = new TreeSet<>();
        List<String> connected = new ArrayList<>();
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
        long nextId = state.nodes().stream().mapToLong(NodeState::id).max().orElse(0) + 1;
        Set<String> inSpec = new HashSet<>();
        for (NodeSpec node : spec.nodes()) {
            inSpec.add(node.name());
            NodeState current = stateNodes.get(node.name());
            if (current == null) {
                if (node.lost()) {
                    continue;
                }
                NodeState registered = SpecConversion.node(node, nextId++);
                steps.add(new RegisterNode(registered));
                if (!connected.isEmpty()) {
                    // The first node has no peer to connect to; a step that does nothing is noise in a review.
                    steps.add(new CreateForeignServers(node.name(), connected));
                }
                connected.add(node.name());
                groupOf.put(node.name(), node.replicationGroup());
                working.add(node.name());
                liveByGroup.computeIfAbsent(node.replicationGroup(), group -> new ArrayList<>()).add(node.name());
                continue;
            }
            if (current.lost()) {
                if (!node.lost()) {
                    warnings.add(lostInStateOnly(node.name()));
                }
                continue;
            }
            if (node.lost()) {
                steps.add(new MarkNodeLost(node.name(), current.replicationGroup()));
                unavailable.add(node.name());
                continue;
            }
            NodeState desired = new NodeState(current.id(), node.name(), current.systemIdentifier(), node.superConninfo(), node.conninfo(),
                    node.replicationGroup(), false);
            if (!desired.replicationGroup().equals(current.replicationGroup()) && nodesHoldingData.contains(node.name())) {
                problems.add("node " + node.name() + " holds partitions and cannot change replication group (" + current.replicationGroup()
                        + " → " + node.replicationGroup() + "); data never moves between groups: remove it and add it again under another name");
                desired = new NodeState(current.id(), node.name(), current.systemIdentifier(), node.superConninfo(), node.conninfo(),
                        current.replicationGroup(), false);
            }
            if (!desired.equals(current)) {
                steps.add(new UpdateNode(current, desired));
            }
            groupOf.put(node.name(), desired.replicationGroup());
            liveByGroup.computeIfAbsent(desired.replicationGroup(), group -> new ArrayList<>()).add(node.name());
        }
        for (NodeState node : state.nodes()) {
            if (inSpec.contains(node.name())) {
                continue;
            }
            if (!node.lost()) {
                leaving.add(node.name());
            }
            List<String> peers = connected.stream().filter(peer -> !peer.equals(node.name())).toList();
            steps.add(new DropForeignServers(node.name(), peers));
            steps.add(new RemoveNode(node.name(), node.lost()));
        }
        liveByGroup.replaceAll((group, nodes) -> nodes.stream().sorted().toList());
        working.removeAll(unavailable);
        membership = new Membership(liveByGroup, groupOf, unavailable, leaving, List.copyOf(working));
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
