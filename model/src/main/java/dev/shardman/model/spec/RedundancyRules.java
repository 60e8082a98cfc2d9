package dev.shardman.model.spec;

import java.util.List;
import java.util.Map;

/**
 * A sharded table spans every replication group, and a partition's primary and each of its replicas
 * sit on distinct live nodes of one group: so redundancy must be below the live node count of the
 * smallest group that has live nodes.
 */
final class RedundancyRules implements SpecRule {
    @Override
    public void check(ClusterSpec spec, Diagnostics diagnostics) {
        Map<String, List<String>> liveNodesByGroup = SpecFacts.liveNodesByGroup(spec);
        liveNodesByGroup.entrySet().stream()
                .min((left, right) -> Integer.compare(left.getValue().size(), right.getValue().size()))
                .ifPresent(smallest -> {
                    for (TableSpec table : spec.tables()) {
                        check(table, smallest.getKey(), smallest.getValue(), diagnostics);
                    }
                });
    }

    private static void check(TableSpec table, String group, List<String> liveNodes, Diagnostics diagnostics) {
        int redundancy = table.redundancy();
        if (!SpecFacts.isSharded(table) || !table.positions().has("redundancy") || redundancy < liveNodes.size()) {
            return;
        }
        String advice = liveNodes.size() > 1 ? "lower redundancy to " + (liveNodes.size() - 1) + " or add nodes to \"" + group + "\""
                : "lower redundancy to 0 or add nodes to \"" + group + "\"";
        diagnostics.error(table.positions().of("redundancy"), Subjects.table(table) + ": redundancy " + redundancy
                + " needs " + (redundancy + 1) + " live nodes in every replication group (a primary and " + redundancy
                + (redundancy == 1 ? " replica" : " replicas") + " on distinct nodes), but group \"" + group + "\" has " + liveNodes.size() + " ("
                + String.join(", ", liveNodes) + "); " + advice);
    }
}
