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
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidateCommandTest {
    private static final String EXAMPLE = "../examples/cluster.yaml";

    @Test
    void exampleIsValid() {
        CliRun run = CliRun.of("validate", "-f", EXAMPLE);
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        assertTrue(run.out().contains("valid (cluster demo: 3 nodes in 1 replication group"), run.out());
    }

    @Test
    void everyProblemIsListedWithItsPositionAndExitIsOne(@TempDir Path directory) throws IOException {
        Path spec = directory.resolve("bad.yaml");
        Files.writeString(spec, """
                cluster: demo
                shardlord: "host=127.0.0.1"
                nodes:
                  - name: w1
                    super_conninfo: "host=127.0.0.1 port=5433"
                    replication_grop: rg1
                tables:
                  - name: t
                    type: sharded
                    columns: [{name: id, type: bigint}]
                    primary_key: [id]
                    sharding_key: id
                    partitions: 0
                """);
        CliRun run = CliRun.of("validate", "-f", spec.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertTrue(run.err().contains(spec + ":6:5: "), run.err());
        assertTrue(run.err().contains("did you mean \"replication_group\""), run.err());
        assertTrue(run.err().contains(spec + ":13:17: "), run.err());
    }

    @Test
    void jsonReportParsesAndCountsErrors(@TempDir Path directory) throws IOException {
        Path spec = directory.resolve("empty.yaml");
        Files.writeString(spec, "");
        CliRun run = CliRun.of("validate", "-f", spec.toString(), "--json");
        assertEquals(ExitCodes.ERROR, run.exitCode());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("1", json.get("format_version").asText());
        assertEquals(false, json.get("valid").asBoolean());
        assertEquals(1, json.get("error_count").asInt());
        assertEquals(1, json.get("diagnostics").get(0).get("position").get("line").asInt());
    }

    @Test
    void unsetEnvironmentReferenceIsOnlyAWarning(@TempDir Path directory) throws IOException {
        Path spec = directory.resolve("env.yaml");
        Files.writeString(spec, """
                cluster: demo
                shardlord: "host=127.0.0.1 port=5432 password=${env:SHARDMAN_TEST_SURELY_UNSET}"
                nodes:
                  - {name: w1, super_conninfo: "host=127.0.0.1 port=5433"}
                """);
        CliRun run = CliRun.of("validate", "-f", spec.toString());
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        assertTrue(run.err().contains("warning: "), run.err());
        assertTrue(run.err().contains("SHARDMAN_TEST_SURELY_UNSET"), run.err());
    }

    @Test
    void missingFileIsAnErrorNotAUsageError() {
        CliRun run = CliRun.of("validate", "-f", "does-not-exist.yaml");
        assertEquals(ExitCodes.ERROR, run.exitCode());
        assertTrue(run.err().contains("does-not-exist.yaml"), run.err());
    }
}
