package dev.shardman.cli.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardman.applier.objects.DriftCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** drift-check's codes are a closed set that consumers match on: the enum, the JSON schema and the docs list the same ones. */
class DriftCodesDocTest {
    private static final Pattern FIRST_CELL = Pattern.compile("^\\| ([^|]+) \\|");
    private static final Pattern CODE = Pattern.compile("`([a-z-]+)`");

    @Test
    void theSchemaListsExactlyTheCodes() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(JsonSchemas.DRIFT_CHECK.path().toFile());
        List<String> listed = new ArrayList<>();
        schema.at("/properties/drift/items/properties/code/enum").forEach(code -> listed.add(code.asText()));
        assertEquals(codes(), new TreeSet<>(listed));
        assertEquals(DriftCode.values().length, listed.size(), "no code listed twice");
    }

    @Test
    void theDriftReasonsTableUsesEveryCodeAndNoOther() throws IOException {
        String operations = Files.readString(Path.of("../docs/operations.md"));
        String table = operations.substring(operations.indexOf("| code | problem (as printed) | meaning |"), operations.indexOf("## Watching the cluster"));
        Set<String> documented = new TreeSet<>();
        for (String line : table.lines().skip(2).toList()) {
            Matcher cell = FIRST_CELL.matcher(line);
            if (cell.find()) {
                Matcher code = CODE.matcher(cell.group(1));
                while (code.find()) {
                    documented.add(code.group(1));
                }
            }
        }
        assertEquals(codes(), documented);
    }

    private static Set<String> codes() {
        return new TreeSet<>(Arrays.stream(DriftCode.values()).map(DriftCode::code).toList());
    }
}
