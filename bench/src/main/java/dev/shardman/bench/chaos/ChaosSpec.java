package dev.shardman.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The round's cluster spec: one small sharded table, redundancy 1, the given nodes (some maybe {@code lost: true}). */
final class ChaosSpec {
    static final String TABLE = "chaos_items";
    static final int PARTITIONS = 6;

    private ChaosSpec() {
    }

    static Path write(Path file, ChaosCluster cluster, List<String> nodes, Set<String> lost, boolean sync) throws IOException {
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
                .append("    columns:\n")
                .append("      - {name: id, type: bigint, nullable: false}\n")
                .append("      - {name: writer, type: text, nullable: false, default: \"''\"}\n")
                .append("    primary_key: [id]\n")
                .append("    sharding_key: id\n")
                .append("    partitions: ").append(PARTITIONS).append('\n')
                .append("    redundancy: 1\n");
        Files.writeString(file, yaml.toString());
        return file;
    }
}
