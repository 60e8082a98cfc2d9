package dev.shardman.cli.command;

import dev.shardman.cli.command.ExitCodes;
import dev.shardman.cli.testkit.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanCommandTest {
    private static final String EXAMPLE = "../examples/cluster.yaml";

    @Test
    void newClusterPlanCreatesEverythingAndDetailedExitCodeSaysChanges(@TempDir Path directory) {
        Path next = directory.resolve("next.yaml");
        CliRun run = CliRun.of("plan", "-f", EXAMPLE, "--state", "none", "--out-state", next.toString(), "--detailed-exitcode");
        assertEquals(ExitCodes.CHANGES_PENDING, run.exitCode(), run.err());
        assertTrue(run.out().contains("+ w1 will be registered in replication group rg1"), run.out());
        assertTrue(run.out().contains("sharded table public.customers will be created"), run.out());
        assertTrue(run.out().endsWith("0 to move, 0 to destroy.\n"), run.out());
        assertTrue(Files.exists(next));

        CliRun again = CliRun.of("plan", "-f", EXAMPLE, "--state", next.toString(), "--detailed-exitcode");
        assertEquals(ExitCodes.SUCCESS, again.exitCode(), again.err());
        assertEquals("No changes. The cluster matches the spec.\n", again.out());
    }

    @Test
    void graphGoesToStandardOutputInsteadOfTheTextOrToAFileBesideIt(@TempDir Path directory) throws IOException {
        CliRun toStdout = CliRun.of("plan", "-f", EXAMPLE, "--state", "none", "--graph", "-");
        assertEquals(ExitCodes.SUCCESS, toStdout.exitCode(), toStdout.err());
        assertTrue(toStdout.out().startsWith("digraph \"plan "), toStdout.out());
        assertTrue(toStdout.out().contains("\"register-node:w1\" [label=\"+ w1 will be registered in replication group rg1\", fillcolor=\"#c8e6c9\"];"),
                toStdout.out());

        Path graph = directory.resolve("plan.dot");
        CliRun toFile = CliRun.of("plan", "-f", EXAMPLE, "--state", "none", "--graph", graph.toString());
        assertEquals(ExitCodes.SUCCESS, toFile.exitCode(), toFile.err());
        assertTrue(toFile.out().endsWith("0 to move, 0 to destroy.\n"), toFile.out());
        assertEquals(toStdout.out(), Files.readString(graph));
    }

    @Test
    void aGraphFileThatCannotBeWrittenIsAnErrorNamingIt(@TempDir Path directory) {
        Path graph = directory.resolve("missing").resolve("plan.dot");
        CliRun run = CliRun.of("plan", "-f", EXAMPLE, "--state", "none", "--graph", graph.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode(), run.out());
        assertTrue(run.err().contains("cannot write the plan graph " + graph), run.err());
    }

    @Test
    void withoutDetailedExitCodeChangesStillExitZero() {
        assertEquals(ExitCodes.SUCCESS, CliRun.of("plan", "-f", EXAMPLE, "--state", "none").exitCode());
    }

    @Test
    void emptyStateFileMeansANewCluster(@TempDir Path directory) throws IOException {
        Path empty = Files.writeString(directory.resolve("state.yaml"), "");
        CliRun run = CliRun.of("plan", "-f", EXAMPLE, "--state", empty.toString(), "--json");
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("1", json.get("format_version").asText());
        assertTrue(json.get("summary").get("create").asInt() > 0);
        JsonNode first = json.get("steps").get(0);
        assertEquals("register-node:w1", first.get("id").asText());
        assertFalse(first.get("data_loss").asBoolean());
    }

    @Test
    void droppingATableIsRefusedWithTheFlagThatAllowsIt(@TempDir Path directory) throws IOException {
        Path state = directory.resolve("state.json");
        assertEquals(ExitCodes.SUCCESS, CliRun.of("plan", "-f", EXAMPLE, "--state", "none", "--out-state", state.toString()).exitCode());
        Path smaller = directory.resolve("smaller.yaml");
        String example = Files.readString(Path.of(EXAMPLE));
        Files.writeString(smaller, example.substring(0, example.indexOf("  - name: countries")));

        CliRun refused = CliRun.of("plan", "-f", smaller.toString(), "--state", state.toString());
        assertEquals(ExitCodes.ERROR, refused.exitCode());
        assertTrue(refused.err().contains("--allow-destroy"), refused.err());
        assertTrue(refused.err().contains("countries"), refused.err());

        CliRun allowed = CliRun.of("plan", "-f", smaller.toString(), "--state", state.toString(), "--allow-destroy");
        assertEquals(ExitCodes.SUCCESS, allowed.exitCode(), allowed.err());
        assertTrue(allowed.out().contains("1 to destroy."), allowed.out());
    }

    @Test
    void invalidSpecPlansNothing(@TempDir Path directory) throws IOException {
        Path spec = Files.writeString(directory.resolve("bad.yaml"), "cluster: demo\n");
        CliRun run = CliRun.of("plan", "-f", spec.toString(), "--state", "none");
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertTrue(run.err().contains(spec + ":1:1: "), run.err());
        assertEquals("", run.out());
    }

    @Test
    void badStateFileIsReportedWithItsPosition(@TempDir Path directory) throws IOException {
        Path state = Files.writeString(directory.resolve("state.yaml"), "nodes: [\n");
        CliRun run = CliRun.of("plan", "-f", EXAMPLE, "--state", state.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertTrue(run.err().contains(state.toString()), run.err());
    }

    @Test
    void withoutStateItReadsTheLiveShardlordAndNamesItWhenUnreachable(@TempDir Path directory) throws IOException {
        Path spec = Files.writeString(directory.resolve("cluster.yaml"),
                Files.readString(Path.of(EXAMPLE)).replace("port=17430", "port=1"));
        CliRun run = CliRun.of("plan", "-f", spec.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertTrue(run.err().contains("cannot connect to the shardlord (host=127.0.0.1 port=1"), run.err());
    }

    @Test
    void savedPlanHoldsThePlanAndTheSpecButNoPassword(@TempDir Path directory) throws IOException {
        Path planFile = directory.resolve("plan.json");
        assertEquals(ExitCodes.SUCCESS, CliRun.of("plan", "-f", EXAMPLE, "--state", "none", "--out", planFile.toString()).exitCode());
        JsonNode saved = new ObjectMapper().readTree(planFile.toFile());
        assertEquals("shardman-saved-plan", saved.get("kind").asText());
        assertEquals(0, saved.get("plan").get("serial").asInt());
        assertTrue(saved.get("spec").asText().contains("cluster: demo"));

        Path withPassword = directory.resolve("pw.yaml");
        Files.writeString(withPassword, Files.readString(Path.of(EXAMPLE))
                .replace("port=17431 dbname=postgres user=postgres", "port=17431 dbname=postgres user=postgres password=hunter2"));
        Path refusedFile = directory.resolve("refused.json");
        CliRun run = CliRun.of("plan", "-f", withPassword.toString(), "--state", "none", "--out", refusedFile.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertFalse(Files.exists(refusedFile));
        assertFalse(run.out().contains("hunter2") || run.err().contains("hunter2"), run.err());
    }
}
