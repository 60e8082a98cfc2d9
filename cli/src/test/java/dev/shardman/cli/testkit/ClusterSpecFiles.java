package dev.shardman.cli.testkit;

import dev.shardman.localcluster.junit.TestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Specs like examples/cluster.yaml, pointed at the harness's servers and this test's database. */
public final class ClusterSpecFiles {
    public static final String CUSTOMERS = """
              - name: customers
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: name, type: text, nullable: false, default: "''"}
                  - {name: country, type: "char(2)"}
                  - {name: created_at, type: timestamptz, nullable: false, default: "now()"}
                primary_key: [id]
                indexes:
                  - {name: customers_country_idx, columns: [country]}
                sharding_key: id
                partitions: 12
                redundancy: 1
            """;
    public static final String ORDERS = """
              - name: orders
                type: sharded
                columns:
                  - {name: customer_id, type: bigint, nullable: false}
                  - {name: order_id, type: bigint, nullable: false}
                  - {name: amount, type: "numeric(12,2)", nullable: false, default: "0"}
                  - {name: country, type: "char(2)"}
                  - {name: ordered_at, type: timestamptz, nullable: false, default: "now()"}
                primary_key: [customer_id, order_id]
                indexes:
                  - {name: orders_ordered_at_idx, columns: [ordered_at]}
                sharding_key: customer_id
                partitions: 12
                redundancy: 1
                colocate_with: customers
            """;
    public static final String COUNTRIES = """
              - name: countries
                type: shared
                columns:
                  - {name: code, type: "char(2)", nullable: false}
                  - {name: name, type: text, nullable: false}
                primary_key: [code]
                master: w1
            """;

    private ClusterSpecFiles() {
    }

    /** The example spec (customers, orders, countries) on {@code workers} workers. */
    public static Path example(TestCluster cluster, Path directory, int workers) throws IOException {
        return write(cluster, directory.resolve("cluster.yaml"), workers, CUSTOMERS + ORDERS + COUNTRIES);
    }

    public static Path write(TestCluster cluster, Path file, int workers, String tables) throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("cluster: test\n");
        yaml.append("shardlord: \"").append(cluster.conninfo(cluster.shardlord())).append("\"\n");
        yaml.append("nodes:\n");
        for (int number = 1; number <= workers; number++) {
            yaml.append("  - name: w").append(number).append('\n');
            yaml.append("    super_conninfo: \"").append(cluster.conninfo(cluster.worker(number))).append("\"\n");
            yaml.append("    replication_group: rg1\n");
        }
        yaml.append("tables:\n").append(tables);
        Files.writeString(file, yaml.toString());
        return file;
    }

    /** {@code source} with a {@code settings:} block ({@code lines}, each indented two spaces) written to {@code target}. */
    public static Path withSettings(Path source, Path target, String lines) throws IOException {
        return Files.writeString(target, Files.readString(source).replace("nodes:\n", "settings:\n" + lines + "nodes:\n"));
    }
}
