package dev.shardman.model.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Facts about a parsed spec that several rules need; each one ignores placeholders. */
final class SpecFacts {
    private SpecFacts() {
    }

    /** True when the table's type was read and is sharded (an absent or bad type counts as unknown). */
    static boolean isSharded(TableSpec table) {
        return table.positions().has("type") && table.type() == TableType.SHARDED;
    }

    static boolean isShared(TableSpec table) {
        return table.positions().has("type") && table.type() == TableType.SHARED;
    }

    static boolean isNamed(NodeSpec node) {
        return node.positions().has("name");
    }

    static boolean isNamed(TableSpec table) {
        return table.positions().has("name");
    }

    /** Names of the nodes not marked lost, per replication group, groups and names in order. */
    static Map<String, List<String>> liveNodesByGroup(ClusterSpec spec) {
        return spec.nodes().stream()
                .filter(node -> isNamed(node) && !node.lost())
                .collect(Collectors.groupingBy(NodeSpec::replicationGroup, TreeMap::new,
                        Collectors.mapping(NodeSpec::name, Collectors.toList())));
    }

    static List<String> tableNames(ClusterSpec spec) {
        return spec.tables().stream().filter(SpecFacts::isNamed).map(TableSpec::name).toList();
    }

    static List<String> nodeNames(ClusterSpec spec) {
        return spec.nodes().stream().filter(SpecFacts::isNamed).map(NodeSpec::name).toList();
    }
}
