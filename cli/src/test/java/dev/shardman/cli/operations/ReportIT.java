package dev.shardman.cli.operations;

import dev.shardman.cli.render.XhtmlPage;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.shardman.cli.testkit.WorkerSql.execute;
import static dev.shardman.cli.testkit.WorkerSql.setConnectionsAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report --html on 2 real workers: the page is well-formed XHTML naming every node and table, a table name with
 * {@code <}, {@code &} and a quote (legal in the spec) arrives escaped, sizes are read from the nodes, replication
 * channels and the last apply are shown, and a node that refuses connections is shown unreachable with drift-check's finding.
 */
@LocalClusterTest(workers = 2)
class ReportIT {
    private static final String ODD = "odd<&\"name";
    private static final String TABLES = """
              - name: 'odd<&"name'
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                  - {name: note, type: text}
                primary_key: [id]
                sharding_key: id
                partitions: 4
                redundancy: 1
            """ + ClusterSpecFiles.COUNTRIES;

    @TempDir
    Path directory;

    @Test
    void writesAPageOfTheClusterWithEscapedNamesAndUnreachableNodes(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, TABLES);
        CliRun apply = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        execute(cluster, 1, "INSERT INTO \"odd<&\"\"name\" (id, note) SELECT g, repeat('x', 200) FROM generate_series(1, 2000) AS g");

        Path file = directory.resolve("report.html");
        CliRun report = CliRun.of("report", "-f", spec.toString(), "--html", file.toString());
        assertEquals(0, report.exitCode(), report.out() + report.err());
        String page = Files.readString(file, StandardCharsets.UTF_8);
        String text = XhtmlPage.text(page);
        for (String name : new String[] {"w1", "w2", ODD, "countries", "master w1, copies on w2", "In sync", "steps done"}) {
            assertTrue(text.contains(name), name + " missing from\n" + text);
        }
        assertTrue(page.contains("odd&lt;&amp;&quot;name"), page);
        assertTrue(page.contains("title=\"odd&lt;&amp;&quot;name_3 on w"), page);
        // 2000 rows of 200 bytes: every primary holds some, so no partition reads as a bare table
        assertTrue(page.matches("(?s).*class=\"entry primary\"[^>]*>p\\d<span class=\"size\">\\d+ KiB</span>.*"), page);
        assertTrue(text.contains("shardman_sub_1_2") && text.contains("shardman_shared_sub_1_2"), text);

        setConnectionsAllowed(cluster, 2, false);
        try {
            CliRun down = CliRun.of("report", "-f", spec.toString(), "--html", "-");
            assertEquals(0, down.exitCode(), down.out() + down.err());
            String downText = XhtmlPage.text(down.out());
            assertTrue(downText.contains("unreachable") && downText.contains("Unreachable nodes:"), downText);
            assertTrue(down.out().contains("<td>w2</td><td class=\"state-unreachable\">unreachable</td>"), down.out());
        } finally {
            setConnectionsAllowed(cluster, 2, true);
        }
    }
}
