package dev.shardman.model.spec;

import dev.shardman.model.SourcePosition;

/**
 * How messages name the object they are about: {@code node "w1"}, {@code table "orders"}, or,
 * when the name itself is missing, {@code table at line 14}.
 */
final class Subjects {
    private Subjects() {
    }

    static String of(String kind, String name, boolean named, SourcePosition start) {
        return named ? kind + " \"" + name + "\"" : kind + " at line " + start.line();
    }

    static String node(NodeSpec node) {
        return of("node", node.name(), node.positions().has("name"), node.positions().start());
    }

    static String table(TableSpec table) {
        return of("table", table.name(), table.positions().has("name"), table.positions().start());
    }

    static String column(TableSpec table, ColumnSpec column) {
        return table(table) + ": " + of("column", column.name(), column.positions().has("name"), column.positions().start());
    }

    static String index(TableSpec table, IndexSpec index) {
        return table(table) + ": " + of("index", index.name(), index.positions().has("name"), index.positions().start());
    }
}
