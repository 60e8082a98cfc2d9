package dev.shardman.cli;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.shardman.cli.WorkerSql.execute;
import static dev.shardman.cli.WorkerSql.queryLong;
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
}
