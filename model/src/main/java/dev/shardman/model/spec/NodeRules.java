package dev.shardman.model.spec;

import java.util.HashMap;
import java.util.Map;

/** A spec declares at least one node, node names are unique, and not every node is lost. */
final class NodeRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        if (spec.positions().has("nodes") && spec.nodes().isEmpty()) {
            diagnostics.error(spec.positions().of("nodes"), "spec: nodes is empty; declare at least one node");
        }
        Map<String, NodeSpec> firstByName = new HashMap<>();
        for (NodeSpec node : spec.nodes()) {
            if (!SpecFacts.isNamed(node)) {
                continue;
            }
            NodeSpec first = firstByName.putIfAbsent(node.name(), node);
            if (first != null) {
                diagnostics.error(node.positions().of("name"), Subjects.node(node) + ": the name is already used by the node at line "
                        + first.positions().start().line() + "; node names must be unique, rename one of them");
            }
        }
        if (!spec.nodes().isEmpty() && spec.nodes().stream().allMatch(NodeSpec::lost)) {
            diagnostics.error(spec.positions().of("nodes"),
                    "spec: every node is marked lost, so no node is left to hold data; add a node or clear a lost flag");
        }
    }
}
