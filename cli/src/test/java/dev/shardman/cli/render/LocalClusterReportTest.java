package dev.shardman.cli.render;

import dev.shardman.localcluster.InstanceReport;
import dev.shardman.localcluster.PostgresMajorVersion;
import dev.shardman.localcluster.StartOutcome;
import dev.shardman.localcluster.UpResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalClusterReportTest {
    private static final Path DIRECTORY = Path.of("/tmp/local");

    @Test
    void aGrownClusterPrintsTheSpecEntriesOfItsNewWorkers() {
        UpResult grown = new UpResult(DIRECTORY, PostgresMajorVersion.DEFAULT, List.of(
                instance("shardlord", 56000, StartOutcome.ALREADY_RUNNING), instance("w1", 56001, StartOutcome.ALREADY_RUNNING),
                instance("w2", 56002, StartOutcome.STARTED)), List.of("w2"));

        String text = print(grown);

        assertTrue(text.contains("""

                Added w2. To make it a node of the cluster, add it to the spec's nodes and run plan, then apply (partitions move onto it):
                  - name: w2
                    super_conninfo: "host=127.0.0.1 port=56002 dbname=postgres user=postgres"
                    replication_group: rg1"""), text);
        assertEquals(List.of("w2"), LocalClusterReport.upJson(grown).get("added_workers"));
    }

    @Test
    void aClusterStartedAgainPrintsNoSpecEntries() {
        UpResult restarted = new UpResult(DIRECTORY, PostgresMajorVersion.DEFAULT, List.of(
                instance("shardlord", 56000, StartOutcome.STARTED), instance("w1", 56001, StartOutcome.STARTED)), List.of());

        String text = print(restarted);

        assertFalse(text.contains("Added"), text);
        Map<String, Object> json = LocalClusterReport.upJson(restarted);
        assertEquals(List.of(), json.get("added_workers"));
    }

    private static InstanceReport instance(String name, int port, StartOutcome outcome) {
        return new InstanceReport(name, port, DIRECTORY.resolve(name).resolve("data"), "17.11", outcome);
    }

    private static String print(UpResult result) {
        StringWriter text = new StringWriter();
        LocalClusterReport.printUp(result, new PrintWriter(text, true));
        return text.toString();
    }
}
