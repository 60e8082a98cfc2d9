package dev.shardman.bench.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * The suite's self-test ({@code CHAOS_SABOTAGE=1 bench/run-chaos.sh 1 SEED}): after convergence it breaks what the
 * checks guard (one acknowledged row of each table deleted, one row updated once more than its writer did, an orphaned
 * slot and a stray prepared transaction on the first live worker), so that the round must FAIL naming all five. A check that cannot fail proves nothing.
 */
final class Sabotage {
    static final String VARIABLE = "CHAOS_SABOTAGE";

    private Sabotage() {
    }

    static void breakInvariants(ChaosCluster cluster, Set<Long> acknowledged) throws SQLException {
        String node = liveNode(cluster);
        for (String table : new String[] {ChaosSpec.TABLE, ChaosSpec.SHARED}) {
            try (Connection connection = ChaosSql.connect(cluster.port(node));
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                delete.setLong(1, acknowledged.stream().filter(id -> Writers.tableOf(id).equals(table)).min(Long::compare).orElseThrow());
                delete.executeUpdate();
            }
        }
        try (Connection connection = ChaosSql.connect(cluster.port(node));
             PreparedStatement update = connection.prepareStatement(RowEdits.UPDATE)) {
            // the highest sharded id (the lowest was deleted above): one update more than any writer made
            update.setLong(1, acknowledged.stream().filter(id -> Writers.tableOf(id).equals(ChaosSpec.TABLE)).max(Long::compare).orElseThrow());
            update.executeUpdate();
        }
        try (Connection connection = ChaosSql.connect(cluster.port(node)); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_logical_replication_slot('chaos_sabotage', 'pgoutput')");
            connection.setAutoCommit(false);
            statement.execute("SELECT 1");
            statement.execute("PREPARE TRANSACTION 'chaos_sabotage'");
        }
        System.out.println("  sabotage: one acknowledged row of each table deleted and one updated once more through " + node
                + ", slot chaos_sabotage and prepared transaction chaos_sabotage created there");
    }

    /** The first worker the metadata does not call lost. */
    private static String liveNode(ChaosCluster cluster) throws SQLException {
        return ChaosSql.rows(cluster.port("shardlord"), "SELECT name FROM shardman.nodes WHERE NOT lost ORDER BY name LIMIT 1").get(0);
    }
}
