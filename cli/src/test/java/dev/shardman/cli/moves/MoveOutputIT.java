package dev.shardman.cli.moves;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.queryLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code shardman apply} prints for a real data move when its output is not a terminal (as under
 * Failsafe): plain progress lines naming the move and its phases, then the result line whose row count is
 * what the destination holds, and no control character anywhere (no carriage-return redraws, no colour).
 */
@LocalClusterTest(workers = 2)
class MoveOutputIT {
    private static final String ITEMS = """
              - name: items
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: name, type: text, nullable: false, default: "''"}
                primary_key: [id]
                sharding_key: id
                partitions: 2
            """;
    private static final Pattern DONE_LINE = Pattern.compile(
            "(?m)^→ (items_[01]) moved w1→w2: ([0-9,]+) rows, [0-9.]+ (B|KiB|MiB), copy [0-9]+\\.[0-9] s, write fence [0-9]+ ms$");

    @TempDir
    Path directory;

    @Test
    void aMoveShowsItsPhasesAndItsFiguresInPlainLines(TestCluster cluster) throws Exception {
        Path one = ClusterSpecFiles.write(cluster, directory.resolve("one.yaml"), 1, ITEMS);
        CliRun created = CliRun.of("apply", "-f", one.toString(), "--auto-approve");
        assertEquals(0, created.exitCode(), created.out() + created.err());
        execute(cluster, 1, "INSERT INTO items (id, name) SELECT g, 'item ' || g FROM generate_series(1, 20000) AS g");

        Path two = ClusterSpecFiles.write(cluster, directory.resolve("two.yaml"), 2, ITEMS);
        CliRun moved = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
        assertEquals(0, moved.exitCode(), moved.out() + moved.err());

        Matcher done = DONE_LINE.matcher(moved.out());
        assertTrue(done.find(), moved.out());
        String partition = done.group(1);
        assertEquals(queryLong(cluster, 2, "SELECT count(*) FROM " + partition), Long.parseLong(done.group(2).replace(",", "")), moved.out());
        for (String phase : List.of("catch-up", "cutover")) {
            assertTrue(moved.out().contains("[1/1] " + partition + " w1→w2 " + phase), phase + " missing in:\n" + moved.out());
        }
        assertFalse(moved.out().replace("\n", "").chars().anyMatch(Character::isISOControl), moved.out());
    }

    @Test
    void aMoveWhoseCutoverCannotTakeItsLocksNamesTheNodeTheTableAndTheSessionHoldingThem(TestCluster cluster) throws Exception {
        Path one = ClusterSpecFiles.write(cluster, directory.resolve("one.yaml"), 1, ITEMS);
        assertEquals(0, CliRun.of("apply", "-f", one.toString(), "--auto-approve").exitCode());
        Path two = ClusterSpecFiles.write(cluster, directory.resolve("two.yaml"), 2, ITEMS);
        try (Connection holder = cluster.connect(cluster.worker(1)); Statement statement = holder.createStatement()) {
            statement.execute("SET application_name = 'report-reader'");
            holder.setAutoCommit(false);
            // a reader in a long transaction: the cutover's ACCESS EXCLUSIVE lock on the parent waits for it
            statement.execute("LOCK TABLE ONLY items IN ACCESS SHARE MODE");
            int pid = holder.unwrap(PGConnection.class).getBackendPID();
            CliRun blocked = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
            holder.rollback();
            String error = blocked.out() + blocked.err();
            assertEquals(1, blocked.exitCode(), error);
            assertTrue(error.contains("canceling statement due to lock timeout"), error);
            assertTrue(error.matches("(?s).*lock timeout on w1 taking locks on \"public\"\\.\"items\", \"public\"\\.\"items_[01]\": held by pid " + pid
                    + " \\(application_name 'report-reader', idle in transaction.*, in its transaction since 20.*"), error);
        }
        CliRun resumed = CliRun.of("apply", "-f", two.toString(), "--auto-approve");
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    }
}
