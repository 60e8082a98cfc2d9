package dev.shardman.cli.docs;

import dev.shardman.cli.command.ExitCodes;
import dev.shardman.cli.testkit.CliRun;
import dev.shardman.cli.testkit.ClusterSpecFiles;
import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docs and the CI examples, run: every runnable block of the pages (docs/README.md says which blocks run and
 * how) in order on one cluster, and the shardman shell of examples/ci through plan, apply, a stale plan and drift,
 * each with the real CLI in a child process as an operator or a runner would start it.
 */
@LocalClusterTest(workers = 4)
class DocumentationIT {
    /** The pages whose runnable blocks run, in this order, on one cluster: later pages start where earlier ones left it. */
    static final List<Path> PAGES = Stream.of("README.md", "docs/concepts.md", "docs/application.md", "docs/operations.md",
            "docs/troubleshooting.md", "docs/spec.md").map(page -> Path.of("..").resolve(page)).toList();

    private static final String EVENTS = """
              - name: events
                type: sharded
                columns:
                  - {name: id, type: bigint, nullable: false}
                primary_key: [id]
                sharding_key: id
                partitions: 2
            """;

    @TempDir
    Path directory;

    @Test
    void everyRunnableBlockOfTheDocsRunsInOrderOnTheDemoCluster(TestCluster cluster) throws Exception {
        DemoAddresses addresses = new DemoAddresses(cluster);
        Files.createDirectories(directory.resolve("examples"));
        Files.writeString(directory.resolve("examples/cluster.yaml"),
                addresses.localize(Files.readString(Path.of("../examples/cluster.yaml"), StandardCharsets.UTF_8)));
        ShellSandbox shell = ShellSandbox.in(directory, Map.of("PGDATABASE", cluster.database()));
        // what ./shardman demo does, on the test's servers instead of starting its own on 17430..
        ShellSandbox.Result demo = shell.run("./shardman demo --no-local -f examples/cluster.yaml\n", Map.of());
        assertEquals(0, demo.exitCode(), demo.output());

        assertTrue(pagesWithRunnableBlocks().allMatch(PAGES::contains),
                "a docs page has runnable blocks but is not in DocumentationIT.PAGES: " + pagesWithRunnableBlocks().toList());
        for (Path page : PAGES) {
            List<RunnableBlocks.Block> blocks = RunnableBlocks.of(page);
            assertFalse(blocks.isEmpty(), page + " has no runnable block");
            for (RunnableBlocks.Block block : blocks) {
                long started = System.nanoTime();
                ShellSandbox.Result result = shell.run(RunnableBlocks.strictExitCodes(addresses.localize(block.script())), Map.of());
                System.out.printf("%s: exit %d in %d ms%n", block.location(), result.exitCode(), (System.nanoTime() - started) / 1_000_000);
                assertEquals(0, result.exitCode(), block.location() + " failed:\n" + block.script() + "---\n" + result.output());
            }
        }
    }

    @Test
    void theCiExamplesPlanApplyRefuseAStalePlanAndAlertOnDrift(TestCluster cluster) throws Exception {
        // a small cluster: what is under test is the pipelines' shell and exit codes, not the example's replicas
        Path spec = ClusterSpecFiles.write(cluster, directory.resolve("cluster.yaml"), 2, EVENTS);
        ShellSandbox shell = ShellSandbox.in(directory, Map.of("SHARDMAN_SPEC", spec.getFileName().toString()));

        GithubRun plan = GithubRun.of(shell, "plan");
        assertEquals(0, plan.result().exitCode(), plan.result().output());
        assertTrue(plan.outputs().contains("changes=true"), plan.outputs());
        assertTrue(read("plan.txt").contains("will be created"), read("plan.txt"));
        JsonSchemas.PLAN.assertValid(read("plan.json"));
        GithubRun apply = GithubRun.of(shell, "apply");
        assertEquals(0, apply.result().exitCode(), apply.result().output());
        assertTrue(apply.result().output().contains("Apply complete"), apply.result().output());
        assertTrue(GithubRun.of(shell, "plan").outputs().contains("changes=false"));

        ClusterSpecFiles.withSettings(spec, spec, "  max_replication_lag_bytes: 1048576\n");
        ShellSandbox.Result gitlabPlan = shell.run(CiPipelines.gitlabJob("plan"), Map.of());
        assertEquals(0, gitlabPlan.exitCode(), gitlabPlan.output());
        assertEquals("SHARDMAN_CHANGES=true", read("plan.env").strip());
        ShellSandbox.Result gitlabApply = shell.run(CiPipelines.gitlabJob("apply"), Map.of("SHARDMAN_CHANGES", "true"));
        assertEquals(0, gitlabApply.exitCode(), gitlabApply.output());

        Files.writeString(spec, read("cluster.yaml").replace("1048576", "2097152"));
        assertTrue(GithubRun.of(shell, "plan").outputs().contains("changes=true"));
        CliRun meanwhile = CliRun.of("apply", "-f", spec.toString(), "--auto-approve");
        assertEquals(0, meanwhile.exitCode(), meanwhile.out() + meanwhile.err());
        GithubRun stale = GithubRun.of(shell, "apply");
        assertEquals(ExitCodes.STALE_PLAN, stale.result().exitCode(), stale.result().output());

        assertDriftAlerts(cluster, shell);
    }

    private void assertDriftAlerts(TestCluster cluster, ShellSandbox shell) throws Exception {
        GithubRun inSync = GithubRun.of(shell, "drift-check");
        assertEquals(0, inSync.result().exitCode(), inSync.result().output());
        assertTrue(inSync.outputs().contains("code=0"), inSync.outputs());
        try (Connection connection = cluster.connect(cluster.worker(1)); Statement statement = connection.createStatement()) {
            statement.execute("DROP FOREIGN TABLE events_1_fdw");
        }
        GithubRun drifted = GithubRun.of(shell, "drift-check");
        assertEquals(2, drifted.result().exitCode(), drifted.result().output());
        assertTrue(drifted.outputs().contains("code=2"), drifted.outputs());
        JsonSchemas.DRIFT_CHECK.assertValid(read("drift.json"));
        assertTrue(read("drift.json").contains("events_1_fdw"), read("drift.json"));
        ShellSandbox.Result gitlabDrift = shell.run(CiPipelines.gitlabJob("drift-check"), Map.of());
        assertEquals(2, gitlabDrift.exitCode(), gitlabDrift.output());
    }

    private String read(String file) throws IOException {
        return Files.readString(directory.resolve(file), StandardCharsets.UTF_8);
    }

    private static Stream<Path> pagesWithRunnableBlocks() throws IOException {
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            List<Path> pages = Stream.concat(Stream.of(Path.of("../README.md")), docs.filter(path -> path.toString().endsWith(".md")).sorted())
                    .toList();
            return pages.stream().filter(page -> {
                try {
                    return !RunnableBlocks.of(page).isEmpty();
                } catch (IOException exception) {
                    throw new UncheckedIOException(exception);
                }
            });
        }
    }

    /** One GitHub Actions job's shardman steps, run with the files a runner gives them ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY). */
    private record GithubRun(ShellSandbox.Result result, String outputs) {
        static GithubRun of(ShellSandbox shell, String job) throws IOException, InterruptedException {
            Path outputs = Files.createTempFile(shell.directory(), "github-output", ".txt");
            Path summary = Files.createTempFile(shell.directory(), "github-summary", ".md");
            ShellSandbox.Result result = shell.run(CiPipelines.githubJob(job),
                    Map.of("GITHUB_OUTPUT", outputs.toString(), "GITHUB_STEP_SUMMARY", summary.toString()));
            return new GithubRun(result, Files.readString(outputs, StandardCharsets.UTF_8));
        }
    }
}
