package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The catalog objects each node must have: a pure function of a {@link ClusterState}. A lost node,
 * or a node the state does not know, has no expected objects; no object points at a lost node.
 */
public final class ExpectedObjects {
    /** Publications and subscriptions are not catalog objects of the reconciler: see applier.replication. */
    private static final List<ObjectContributor> CONTRIBUTORS = List.of(new ForeignServerContributor(), new ShardedTableContributor(),
            new SharedTableContributor());

    private ExpectedObjects() {
    }

    public static NodeObjects forNode(ClusterState state, String node) {
        return state.node(node).filter(nodeState -> !nodeState.lost())
                .map(nodeState -> build(state, nodeState))
                .orElseGet(() -> NodeObjects.empty(node));
    }

    /** Every live node's objects, by node name (sorted). */
    public static Map<String, NodeObjects> forAll(ClusterState state) {
        TreeMap<String, NodeObjects> result = new TreeMap<>();
        for (NodeState node : state.nodes()) {
            if (!node.lost()) {
                result.put(node.name(), build(state, node));
            }
        }
        return result;
    }

    private static NodeObjects build(ClusterState state, NodeState node) {
        List<NodeObject> objects = new ArrayList<>();
        for (ObjectContributor contributor : CONTRIBUTORS) {
            contributor.contribute(state, node, objects::add);
        }
        Map<String, String> serverNodes = state.nodes().stream()
                .collect(Collectors.toMap(peer -> ForeignServer.nameFor(peer.id()), NodeState::name, (first, second) -> first));
        return NodeObjects.of(node.name(), objects, serverNodes);
    }
}
