package dev.shardman.model.spec;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A parsed and validated cluster.yaml (spec version 1): the desired shape of the cluster.
 * Invariants once validated: node names and table names are unique; every reference (colocation,
 * shared master, sharding key, index columns) resolves. Lists keep the file's order.
 *
 * @param file the path the spec was read from, as given by the user (used in messages)
 * @param shardlord libpq conninfo of the shardlord database, with {@code ${env:NAME}} references unresolved
 */
public record ClusterSpec(
        String file,
        String cluster,
        String shardlord,
        SettingsSpec settings,
        List<NodeSpec> nodes,
        List<TableSpec> tables,
        Positions positions) {

    public ClusterSpec {
        requireNonNull(file, "file is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(shardlord, "shardlord is null");
        requireNonNull(settings, "settings is null");
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        requireNonNull(positions, "positions is null");
    }

    public Optional<NodeSpec> node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
    }

    /** Looks a table up by its unqualified name (table names are unique across schemas in a spec). */
    public Optional<TableSpec> table(String name) {
        return tables.stream().filter(table -> table.name().equals(name)).findFirst();
    }
}
