package dev.shardman.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The round's cluster spec: one small sharded table and one shared table on the given nodes (some maybe
 * {@code lost: true}), shaped by {@link Tables} (which may add a colocated sharded table).
 */
final class ChaosSpec {
    static final String TABLE = "chaos_items";
    static final String SHARED = "chaos_shared";
    static final String COLOCATED = "chaos_notes";
    static final int PARTITIONS = 6;

    /**
     * What the round's {@link Change} makes of the tables in one spec.
     *
     * @param extraColumn  both tables have the nullable column {@code note} and the sharded one an index on {@code writer}
     * @param redundancy   the sharded table's replicas per partition
     * @param sharedMaster the node holding the shared table's writable copy
     * @param colocated    a second sharded table, {@value #COLOCATED}, colocated with the first (not written)
     */
    record Tables(boolean extraColumn, int redundancy, String sharedMaster, boolean colocated) {
        static Tables initial() {
            return new Tables(false, 1, "w1", false);
        }
    }

    private ChaosSpec() {
    }

    static Path write(Path file, ChaosCluster cluster, List<String> nodes, Set<String> lost, boolean sync, Tables tables) throws IOException {
        StringBuilder yaml = new StringBuilder("cluster: chaos\n")
                .append("shardlord: \"").append(cluster.conninfo("shardlord")).append("\"\n")
                .append("settings:\n  sync_replication: ").append(sync).append('\n')
                .append("nodes:\n");
        for (String node : nodes) {
            yaml.append("  - name: ").append(node).append('\n')
                    .append("    super_conninfo: \"").append(cluster.conninfo(node)).append("\"\n")
                    .append("    replication_group: rg1\n");
            if (lost.contains(node)) {
                yaml.append("    lost: true\n");
            }
        }
        yaml.append("tables:\n")
                .append("  - name: ").append(TABLE).append('\n')
                .append("    type: sharded\n")
                .append(columns(tables))
                .append("    primary_key: [id]\n")
                .append("    sharding_key: id\n")
                .append("    partitions: ").append(PARTITIONS).append('\n')
                .append("    redundancy: ").append(tables.redundancy()).append('\n');
        if (tables.extraColumn()) {
            yaml.append("    indexes:\n      - {name: chaos_items_writer, columns: [writer]}\n");
        }
        if (tables.colocated()) {
            yaml.append("  - name: ").append(COLOCATED).append('\n')
                    .append("    type: sharded\n")
                    .append("    columns:\n")
                    .append("      - {name: item_id, type: bigint, nullable: false}\n")
                    .append("      - {name: line, type: integer, nullable: false}\n")
                    .append("      - {name: body, type: text}\n")
                    .append("    primary_key: [item_id, line]\n")
                    .append("    sharding_key: item_id\n")
                    .append("    partitions: ").append(PARTITIONS).append('\n')
                    .append("    redundancy: ").append(tables.redundancy()).append('\n')
                    .append("    colocate_with: ").append(TABLE).append('\n');
        }
        yaml.append("  - name: ").append(SHARED).append('\n')
                .append("    type: shared\n")
                .append(columns(tables))
                .append("    primary_key: [id]\n")
                .append("    master: ").append(tables.sharedMaster()).append('\n');
        Files.writeString(file, yaml.toString());
        return file;
    }

    private static String columns(Tables tables) {
        return "    columns:\n"
                + "      - {name: id, type: bigint, nullable: false}\n"
                + "      - {name: writer, type: text, nullable: false, default: \"''\"}\n"
                + (tables.extraColumn() ? "      - {name: note, type: text}\n" : "");
    }
}
