package dev.shardman.model.spec;

import dev.shardman.model.Diagnostic;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * One case per file under {@code src/test/resources/invalid/}: the file ends with comment lines
 * {@code # expect: line:column: message}, and loading it must give exactly those diagnostics
 * (in file order) and no spec. Comments at the end keep the positions of the YAML above unchanged.
 */
class InvalidSpecTest {
    private static final String DIRECTORY = "invalid";
    private static final String EXPECT = "# expect: ";
    private static final Map<String, String> ENVIRONMENT = Map.of("APP_PW", "s3cret");

    /** The checks that must keep a case of their own; a missing file fails this test. */
    private static final List<String> REQUIRED_CASES = List.of(
            "yaml-syntax-error", "comments-only", "duplicate-key", "unknown-key",
            "wrong-type-string-for-number", "wrong-type-list-for-map", "wrong-type-map-for-list",
            "wrong-type-boolean", "wrong-type-scalar-for-list", "missing-required-key", "duplicate-node-name",
            "duplicate-conninfo", "shardlord-same-database", "conninfo-unterminated-quote",
            "conninfo-unknown-keyword", "conninfo-missing-equals", "env-reference-bad-name",
            "env-reference-malformed", "invalid-identifier-empty", "invalid-identifier-too-long",
            "invalid-identifier-control-character", "partition-name-collision", "partition-name-too-long",
            "duplicate-table", "sharding-key-not-a-column", "sharding-key-nullable", "primary-key-missing",
            "primary-key-without-sharding-key", "partitions-out-of-range", "redundancy-negative",
            "redundancy-too-high", "colocate-with-missing", "colocate-with-shared-or-itself",
            "colocate-with-other-partition-count", "colocate-with-chain", "colocate-with-key-type",
            "shared-master-not-a-node", "shared-master-lost", "shared-table-with-sharded-keys",
            "sharded-table-with-master", "table-type-invalid", "index-problems", "column-problems",
            "no-nodes", "version-unsupported", "all-nodes-lost", "column-values-unsafe", "node-timeout-zero", "node-timeout-too-long",
            "node-timeout-not-a-duration", "failover-after-too-short", "failover-problems", "placement-problems", "node-weight-invalid", "balance-problems",
            "derived-name-collision");

    @TestFactory
    Stream<DynamicTest> eachInvalidSpecGivesExactlyItsExpectedDiagnostics() throws IOException, URISyntaxException {
        List<Path> files = caseFiles();
        assertFalse(files.isEmpty(), "no case files found");
        return files.stream().map(file -> dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    @Test
    void everyRequiredCaseHasAFile() throws IOException, URISyntaxException {
        List<String> present = caseFiles().stream()
                .map(file -> file.getFileName().toString().replaceAll("\\.yaml$", "")).toList();
        List<String> missing = REQUIRED_CASES.stream().filter(name -> !present.contains(name)).toList();
        assertEquals(List.of(), missing);
    }

    @Test
    void emptyFileIsReportedAtItsStart() {
        SpecLoadResult result = SpecLoader.load("empty.yaml", "", ENVIRONMENT);

        assertEquals(List.of("empty.yaml:1:1: the file is empty (or holds only comments); a spec needs at least"
                + " the keys cluster, shardlord and nodes"), lines(result.diagnostics()));
        assertTrue(result.spec().isEmpty());
    }

    private static void check(Path file) throws IOException {
        String label = DIRECTORY + "/" + file.getFileName();
        String text = Files.readString(file);
        List<String> expected = text.lines().filter(line -> line.startsWith(EXPECT))
                .map(line -> label + ":" + line.substring(EXPECT.length())).toList();
        assertFalse(expected.isEmpty(), label + " has no \"" + EXPECT + "\" line");

        SpecLoadResult result = SpecLoader.load(label, text, ENVIRONMENT);

        assertEquals(String.join("\n", expected), String.join("\n", lines(result.diagnostics())));
        assertTrue(result.spec().isEmpty(), label + " gave a spec");
    }

    private static List<String> lines(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::toString).collect(Collectors.toList());
    }

    private static List<Path> caseFiles() throws IOException, URISyntaxException {
        Path directory = Path.of(InvalidSpecTest.class.getResource("/" + DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
