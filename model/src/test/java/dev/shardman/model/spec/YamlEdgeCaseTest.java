package dev.shardman.model.spec;

import dev.shardman.model.Diagnostic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** YAML features and oddities that a spec may contain, checked on short inline specs. */
class YamlEdgeCaseTest {
    private static final String MINIMAL = """
            cluster: demo
            shardlord: "host=db0"
            nodes:
              - {name: w1, super_conninfo: "host=db1"}
            """;

    @Test
    void secondDocumentIsRefused() {
        assertDiagnostics(MINIMAL + "---\ncluster: other\n", "e.yaml:5:1: invalid YAML: but found another document"
                + " (expected a single document in the stream started at line 1, column 1); fix the syntax here");
    }

    @Test
    void rootMustBeAMapping() {
        assertDiagnostics("- a\n- b\n",
                "e.yaml:1:1: the spec must be a mapping with the keys cluster, shardlord and nodes, found a list");
    }

    @Test
    void keysMustBeWords() {
        assertDiagnostics(MINIMAL + "1: x\n", "e.yaml:5:1: spec: a key must be a plain word, found the number 1");
    }

    @Test
    void numberTooLargeIsReportedOnce() {
        assertDiagnostics(MINIMAL + "settings: {default_partitions: 99999999999}\n",
                "e.yaml:5:32: settings: default_partitions is 99999999999, which is too large (over 2147483647)");
    }

    @Test
    void emptyValueIsNotAnEmptyList() {
        assertDiagnostics(MINIMAL + "tables:\n",
                "e.yaml:5:8: spec: tables must be a list, found an empty value (write [a, b] or one \"- item\" per line)");
    }

    @Test
    void byteOrderMarkAnchorsAndMergeKeysAreAccepted() {
        String text = "\uFEFF" + """
                cluster: demo
                shardlord: "host=db0"
                nodes:
                  - &first {name: w1, super_conninfo: "host=db1", replication_group: rg1}
                  - <<: *first
                    name: w2
                    super_conninfo: "host=db2"
                """;

        SpecLoadResult result = SpecLoader.load("e.yaml", text, Map.of());

        assertEquals(List.of(), result.diagnostics());
        assertEquals("rg1", result.orElseThrow().node("w2").orElseThrow().replicationGroup());
    }

    @Test
    void hexadecimalIntegersFollowTheCoreSchema() {
        SpecLoadResult result = SpecLoader.load("e.yaml", MINIMAL + "settings: {default_partitions: 0x10}\n", Map.of());

        assertEquals(16, result.orElseThrow().settings().defaultPartitions());
    }

    private static void assertDiagnostics(String text, String... expected) {
        SpecLoadResult result = SpecLoader.load("e.yaml", text, Map.of());

        assertEquals(List.of(expected), result.diagnostics().stream().map(Diagnostic::toString).toList());
        assertTrue(result.spec().isEmpty());
    }
}
