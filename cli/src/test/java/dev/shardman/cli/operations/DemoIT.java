package dev.shardman.cli.operations;

import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo on the harness's servers (--no-local): applies, loads, queries; a second run applies and loads nothing. */
@LocalClusterTest(workers = 3)
class DemoIT {
    @TempDir
    Path directory;

    @Test
    void theDemoAppliesLoadsAndQueriesAndIsIdempotent(TestCluster cluster) throws Exception {
        Path spec = ClusterSpecFiles.example(cluster, directory, 3);
        CliRun first = CliRun.of("demo", "-f", spec.toString(), "--no-local");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        assertTrue(!first.out().contains("warning:") && !first.err().contains("warning:"), first.out() + first.err());
        assertTrue(first.out().contains("shared table public.countries will be created"), first.out());
        assertTrue(first.out().contains("COPY orders FROM STDIN through w1: 3000 rows"), first.out());
        assertTrue(first.out().contains("  1000\n"), "1,000 customers counted through w3: " + first.out());
        assertTrue(first.out().contains("  42            customer 42"), first.out());

        CliRun second = CliRun.of("demo", "-f", spec.toString(), "--no-local");
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertTrue(second.out().contains("No changes"), second.out());
        assertTrue(second.out().contains("not loading them again"), second.out());
        assertTrue(second.out().contains("  1000\n") && second.out().contains("  3000 "), "no duplicated rows: " + second.out());
        assertEquals(0, CliRun.of("drift-check", "-f", spec.toString()).exitCode());
    }
}
