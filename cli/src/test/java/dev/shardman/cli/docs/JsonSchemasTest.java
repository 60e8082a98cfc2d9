package dev.shardman.cli.docs;

import dev.shardman.cli.apply.ApplyIT;
import dev.shardman.cli.command.ExitCodes;
import dev.shardman.cli.operations.VerifyIT;
import dev.shardman.cli.testkit.CliRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan schema against plan --json without a server; the other reports are checked in ApplyIT and VerifyIT. */
class JsonSchemasTest {
    private static final Path GOLDEN = Path.of("../golden-tests");

    @Test
    void everySchemaIsDraft2020_12() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        for (JsonSchemas schema : JsonSchemas.values()) {
            String declared = mapper.readTree(schema.path().toFile()).get("$schema").asText();
            assertEquals("https://json-schema.org/draft/2020-12/schema", declared, schema.path().toString());
        }
    }

    @Test
    void planOfANewClusterConforms() {
        CliRun run = CliRun.of("plan", "-f", "../examples/cluster.yaml", "--state", "none", "--json");
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        JsonSchemas.PLAN.assertValid(run.out());
    }

    @Test
    void planOfAGoldenCaseWithMovesAndDropsConforms() {
        Path moves = GOLDEN.resolve("add-fourth-node-30-partitions-redundancy-1-seven-and-seven-moves");
        CliRun run = CliRun.of("plan", "-f", moves.resolve("desired.yaml").toString(), "--state", moves.resolve("state.yaml").toString(), "--json");
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        assertTrue(run.out().contains("\"action\" : \"move\""), run.out());
        JsonSchemas.PLAN.assertValid(run.out());

        Path drops = GOLDEN.resolve("drop-column-allowed");
        CliRun dropping = CliRun.of("plan", "-f", drops.resolve("desired.yaml").toString(), "--state", drops.resolve("state.yaml").toString(),
                "--json", "--allow-destroy");
        assertEquals(ExitCodes.SUCCESS, dropping.exitCode(), dropping.err());
        assertTrue(dropping.out().contains("\"action\" : \"destroy\""), dropping.out());
        JsonSchemas.PLAN.assertValid(dropping.out());
    }

    @Test
    void everyGoldenExpectedPlanConforms() throws IOException {
        List<Path> plans;
        try (Stream<Path> cases = Files.list(GOLDEN)) {
            plans = cases.map(folder -> folder.resolve("expected-plan.json")).filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(plans.size() > 10, plans.toString());
        for (Path plan : plans) {
            List<String> errors = JsonSchemas.PLAN.errors(Files.readString(plan, StandardCharsets.UTF_8));
            assertEquals(List.of(), errors, plan.toString());
        }
    }

    @Test
    void theSchemaRejectsAnUnknownActionAMissingKeyAndAnExtraKey() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String plan = CliRun.of("plan", "-f", "../examples/cluster.yaml", "--state", "none", "--json").out();

        ObjectNode unknownAction = (ObjectNode) mapper.readTree(plan);
        ((ObjectNode) unknownAction.get("steps").get(0)).put("action", "remove");
        assertFalse(JsonSchemas.PLAN.errors(unknownAction.toString()).isEmpty());

        ObjectNode missing = (ObjectNode) mapper.readTree(plan);
        ((ObjectNode) missing.get("steps").get(0)).remove("depends_on");
        assertFalse(JsonSchemas.PLAN.errors(missing.toString()).isEmpty());

        ObjectNode extra = (ObjectNode) mapper.readTree(plan);
        extra.put("surprise", true);
        List<String> errors = JsonSchemas.PLAN.errors(extra.toString());
        assertTrue(errors.toString().contains("surprise"), errors.toString());
    }
}
