package dev.shardman.applier.objects;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed batch of a step names the statement that failed, not the batch's first (in a transaction pgjdbc marks
 * every update count failed): the mark-node-lost error of the seed-702 chaos round named DROP USER MAPPING for a
 * DROP SERVER that failed.
 */
@LocalClusterTest(workers = 1)
class StatementBatchIT {
    @Test
    void aFailedBatchInATransactionNamesTheFailingStatement(TestCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(1))) {
            connection.setAutoCommit(false);
            SQLException failure = assertThrows(SQLException.class, () -> NodeReconciler.executeAll(connection, "w1", List.of(
                    statement("CREATE TABLE batch_a (id int)"),
                    statement("CREATE TABLE batch_b (id int)"),
                    statement("DROP TABLE batch_missing"),
                    statement("CREATE TABLE batch_c (id int)"))));
            connection.rollback();
            assertTrue(failure.getMessage().startsWith("on w1: DROP TABLE batch_missing: "), failure.getMessage());
            assertTrue(failure.getMessage().contains("batch_missing\" does not exist"), failure.getMessage());
            assertEquals("42P01", failure.getSQLState());
        }
    }

    @Test
    void aFailedBatchInAutocommitNamesTheFailingStatement(TestCluster cluster) throws SQLException {
        try (Connection connection = cluster.connect(cluster.worker(1))) {
            connection.setAutoCommit(true);
            SQLException failure = assertThrows(SQLException.class, () -> NodeReconciler.executeAll(connection, "w1", List.of(
                    statement("CREATE TABLE IF NOT EXISTS batch_d (id int)"),
                    statement("DROP TABLE batch_missing_too"),
                    statement("CREATE TABLE IF NOT EXISTS batch_e (id int)"))));
            assertTrue(failure.getMessage().startsWith("on w1: DROP TABLE batch_missing_too: "), failure.getMessage());
        }
    }

    private static SqlStatement statement(String text) {
        return new SqlStatement(text, text);
    }
}
