package dev.shardman.cli.docs;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/spec.md's key table lists exactly the keys the parser knows, level by level: an unknown key at each level makes
 * the parser name every key it accepts there ("expected one of: ..."), which must be the documented ones.
 */
class SpecReferenceTest {
    private static final Path SPEC_PAGE = Path.of("../docs/spec.md");
    private static final Pattern TABLE_KEY = Pattern.compile("^\\| `([a-z_\\[\\].]+)` \\|", Pattern.MULTILINE);
    private static final Pattern KNOWN_KEYS = Pattern.compile("unknown key \"zzz\"; expected one of: (.+)$");
    private static final String UNKNOWN = "zzz: 1";

    /** Each level of the spec (as spec.md prefixes its keys) and a spec with {@code zzz} at that level. */
    private static final Map<String, String> PROBES = Map.of(
            "", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    nodes: []
                    %s
                    """,
            "settings.", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    settings: {%s}
                    nodes: []
                    """,
            "settings.failover.", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    settings: {failover: {%s}}
                    nodes: []
                    """,
            "settings.balance.", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    settings: {balance: {%s}}
                    nodes: []
                    """,
            "nodes[].", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    nodes: [{name: w1, super_conninfo: "host=127.0.0.1", %s}]
                    """,
            "tables[].", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    nodes: [{name: w1, super_conninfo: "host=127.0.0.1"}]
                    tables: [{name: t, type: shared, master: w1, columns: [{name: a, type: int}], primary_key: [a], %s}]
                    """,
            "tables[].columns[].", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    nodes: [{name: w1, super_conninfo: "host=127.0.0.1"}]
                    tables: [{name: t, type: shared, master: w1, columns: [{name: a, type: int, %s}], primary_key: [a]}]
                    """,
            "tables[].indexes[].", """
                    cluster: demo
                    shardlord: "host=127.0.0.1"
                    nodes: [{name: w1, super_conninfo: "host=127.0.0.1"}]
                    tables: [{name: t, type: shared, master: w1, columns: [{name: a, type: int}], primary_key: [a],
                              indexes: [{name: i, columns: [a], %s}]}]
                    """);

    @Test
    void theKeyTableListsExactlyTheKeysTheParserAccepts() throws IOException {
        Map<String, Set<String>> documented = documentedKeys();
        Map<String, Set<String>> accepted = new TreeMap<>();
        PROBES.forEach((level, template) -> accepted.put(level, acceptedKeys(level, template.formatted(UNKNOWN))));
        assertEquals(accepted, documented, "docs/spec.md's key table against the parser");
    }

    private static Set<String> acceptedKeys(String level, String yaml) {
        for (Diagnostic diagnostic : SpecLoader.load("probe.yaml", yaml, Map.of()).diagnostics()) {
            Matcher known = KNOWN_KEYS.matcher(diagnostic.message());
            if (known.find()) {
                return new TreeSet<>(Arrays.asList(known.group(1).split(", ")));
            }
        }
        throw new AssertionError("no unknown-key diagnostic at level '" + level + "' for:\n" + yaml);
    }

    /**
     * The table's keys by level, with the mappings that lead to them: {@code tables[].columns[].name} is key {@code name}
     * of level {@code tables[].columns[].}, key {@code columns} of {@code tables[].} and key {@code tables} of the top.
     */
    private static Map<String, Set<String>> documentedKeys() throws IOException {
        Map<String, Set<String>> byLevel = new TreeMap<>();
        Matcher row = TABLE_KEY.matcher(Files.readString(SPEC_PAGE, StandardCharsets.UTF_8));
        while (row.find()) {
            String level = "";
            for (String segment : row.group(1).split("\\.")) {
                byLevel.computeIfAbsent(level, ignored -> new TreeSet<>()).add(segment.replace("[]", ""));
                level = level + segment + ".";
            }
        }
        return byLevel;
    }
}
