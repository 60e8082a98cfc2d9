package dev.shardman.model.spec;

import dev.shardman.model.NameSuggestions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A table's pins ({@code placement}) sit on an anchor (a colocated table follows its anchor's pins) and name,
 * for a partition that exists, at most redundancy + 1 distinct nodes of the spec, none lost, all of one
 * replication group. Whether that group is the one the partition already lives in is for the planner, which
 * knows the state.
 */
final class PlacementRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        Map<String, NodeSpec> nodes = new HashMap<>();
        spec.nodes().stream().filter(SpecFacts::isNamed).forEach(node -> nodes.putIfAbsent(node.name(), node));
        for (TableSpec table : spec.tables()) {
            if (!SpecFacts.isSharded(table) || !table.positions().has("placement")) {
                continue;
            }
            if (table.positions().has("colocate_with")) {
                String anchor = table.colocateWith().orElseThrow();
                diagnostics.error(table.positions().of("placement"), Subjects.table(table) + ": placement is not allowed on a colocated table:"
                        + " partition n of it always sits with partition n of \"" + anchor + "\"; put the pins on table \"" + anchor + "\"");
                continue;
            }
            for (PartitionPin pin : table.placement()) {
                problem(table, pin, nodes, spec).ifPresent(problem -> diagnostics.error(pin.position(),
                        Subjects.table(table) + ": placement of partition " + pin.partition() + ": " + problem));
            }
        }
    }

    private static Optional<String> problem(TableSpec table, PartitionPin pin, Map<String, NodeSpec> nodes, ClusterSpec spec) {
        if (pin.partition() >= table.partitions()) {
            return Optional.of("the table has partitions 0 to " + (table.partitions() - 1) + "; pin one of those");
        }
        if (pin.nodes().size() > table.redundancy() + 1) {
            return Optional.of(pin.nodes().size() + " nodes named, but a partition has " + (table.redundancy() + 1) + " copies (redundancy "
                    + table.redundancy() + "): name the primary's node, then at most " + table.redundancy() + " replica node(s)");
        }
        Set<String> seen = new HashSet<>();
        for (String name : pin.nodes()) {
            NodeSpec node = nodes.get(name);
            if (node == null) {
                String suggestion = NameSuggestions.didYouMean(name, SpecFacts.nodeNames(spec));
                return Optional.of("\"" + name + "\" is not a node of this spec" + (suggestion.isEmpty() ? "; name a node declared in nodes" : suggestion));
            }
            if (node.lost()) {
                return Optional.of("node \"" + name + "\" is marked lost; pin the partition to a live node");
            }
            if (!seen.add(name)) {
                return Optional.of(name.equals(pin.primary())
                        ? "a replica on \"" + name + "\", which holds the primary; a replica must sit on another node"
                        : "\"" + name + "\" is named twice; each replica needs a node of its own");
            }
        }
        return groupProblem(pin, nodes);
    }

    private static Optional<String> groupProblem(PartitionPin pin, Map<String, NodeSpec> nodes) {
        String group = nodes.get(pin.primary()).replicationGroup();
        List<String> others = pin.replicas().stream().filter(name -> !nodes.get(name).replicationGroup().equals(group)).toList();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        String other = others.get(0);
        return Optional.of("\"" + other + "\" is in replication group \"" + nodes.get(other).replicationGroup() + "\" but the primary's node \""
                + pin.primary() + "\" is in \"" + group + "\"; replicas stay in their primary's group: pin nodes of one group");
    }
}
