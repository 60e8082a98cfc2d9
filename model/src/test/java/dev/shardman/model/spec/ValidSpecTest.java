package dev.shardman.model.spec;

import dev.shardman.model.Diagnostic;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.SourcePosition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidSpecTest {
    private static final Map<String, String> ENVIRONMENT = Map.of("APP_PW", "s3cret");

    @Test
    void shippedExampleLoadsWithoutDiagnostics() {
        SpecLoadResult result = SpecLoader.load(Path.of("../examples/cluster.yaml"), Map.of());

        assertEquals(List.of(), result.diagnostics());
        ClusterSpec spec = result.orElseThrow();
        assertEquals("../examples/cluster.yaml", spec.file());
        assertEquals(List.of("w1", "w2", "w3"), spec.nodes().stream().map(NodeSpec::name).toList());
        assertEquals(List.of("customers", "orders", "countries"), spec.tables().stream().map(TableSpec::name).toList());
    }

    @Test
    void grantsAreReadAsSortedUpperCasePrivilegesPerRole() {
        ClusterSpec spec = load("grants.yaml").orElseThrow();

        assertEquals(Map.of("app", List.of("DELETE", "INSERT", "SELECT", "UPDATE"), "reporting", List.of("SELECT")),
                spec.table("customers").orElseThrow().grants());
        assertEquals(List.of("app", "reporting"), List.copyOf(spec.table("customers").orElseThrow().grants().keySet()));
        assertEquals(Map.of("app", List.of("SELECT")), spec.table("countries").orElseThrow().grants());
        assertEquals(Map.of(), load("defaults.yaml").orElseThrow().table("customers").orElseThrow().grants());
    }

    @Test
    void pinsAndWeightsAreRead() {
        String text = """
                cluster: demo
                shardlord: "host=127.0.0.1 port=17430 dbname=postgres user=postgres"
                nodes:
                  - {name: w1, super_conninfo: "host=127.0.0.1 port=17431 dbname=postgres user=postgres", replication_group: rg1, weight: 2}
                  - {name: w2, super_conninfo: "host=127.0.0.1 port=17432 dbname=postgres user=postgres", replication_group: rg1, weight: 0.5}
                  - {name: w3, super_conninfo: "host=127.0.0.1 port=17433 dbname=postgres user=postgres", replication_group: rg1}
                tables:
                  - name: customers
                    type: sharded
                    columns: [{name: id, type: bigint}]
                    primary_key: [id]
                    sharding_key: id
                    partitions: 8
                    redundancy: 1
                    placement:
                      "5": [w3]
                      3: [w2, w1]
                """;
        SpecLoadResult result = SpecLoader.load("pins.yaml", text, ENVIRONMENT);

        assertEquals(List.of(), result.diagnostics());
        ClusterSpec spec = result.orElseThrow();
        assertEquals(List.of("2", "0.5", "1"), spec.nodes().stream().map(node -> node.weight().toPlainString()).toList());
        List<PartitionPin> pins = spec.table("customers").orElseThrow().placement();
        assertEquals(List.of(new PartitionPin(3, List.of("w2", "w1"), new SourcePosition("pins.yaml", 17, 7)),
                new PartitionPin(5, List.of("w3"), new SourcePosition("pins.yaml", 16, 7))), pins);
        assertEquals("w2", pins.get(0).primary());
        assertEquals(List.of("w1"), pins.get(0).replicas());
    }

    @Test
    void automaticFailoverIsReadWithItsDelay() {
        String text = """
                cluster: demo
                shardlord: "host=127.0.0.1 port=17430 dbname=postgres user=postgres"
                settings:
                  failover: {automatic: true, after: 2m}
                nodes:
                  - name: w1
                    super_conninfo: "host=127.0.0.1 port=17431 dbname=postgres user=postgres"
                """;
        SpecLoadResult result = SpecLoader.load("failover.yaml", text, ENVIRONMENT);

        assertEquals(List.of(), result.diagnostics());
        assertEquals(new FailoverSettings(true, java.time.Duration.ofMinutes(2)), result.orElseThrow().settings().failover());
    }

    @Test
    void balanceBySizeIsReadWithItsToleranceAndBase() {
        String text = """
                cluster: demo
                shardlord: "host=127.0.0.1 port=17430 dbname=postgres user=postgres"
                settings:
                  balance: {by: size, tolerance: 5%, base_bytes: 0}
                nodes:
                  - name: w1
                    super_conninfo: "host=127.0.0.1 port=17431 dbname=postgres user=postgres"
                """;
        SpecLoadResult result = SpecLoader.load("balance.yaml", text, ENVIRONMENT);

        assertEquals(List.of(), result.diagnostics());
        assertEquals(new BalanceSettings(BalanceSettings.Mode.SIZE, 5, 0), result.orElseThrow().settings().balance());
        assertEquals(BalanceSettings.DEFAULTS, load("defaults.yaml").orElseThrow().settings().balance());
    }

    @Test
    void absentOptionalKeysTakeTheirDefaults() {
        ClusterSpec spec = load("defaults.yaml").orElseThrow();

        assertEquals(false, spec.settings().syncReplication());
        assertEquals(SettingsSpec.DEFAULT_PARTITIONS, spec.settings().defaultPartitions());
        assertEquals(java.time.Duration.ofSeconds(30), spec.settings().nodeTimeout());
        assertEquals(new FailoverSettings(false, java.time.Duration.ofSeconds(60)), spec.settings().failover());
        NodeSpec first = spec.node("w1").orElseThrow();
        assertEquals("w1", first.replicationGroup());
        assertFalse(first.lost());
        assertEquals(Optional.empty(), first.conninfo());
        assertEquals("rg2", spec.node("w2").orElseThrow().replicationGroup());

        TableSpec customers = spec.table("customers").orElseThrow();
        assertEquals(TableSpec.DEFAULT_SCHEMA, customers.schema());
        assertEquals(TableType.SHARDED, customers.type());
        assertEquals(12, customers.partitions());
        assertEquals(0, customers.redundancy());
        assertEquals(Optional.empty(), customers.colocateWith());
        assertTrue(customers.column("id").orElseThrow().nullable());
        assertEquals(Optional.of("''"), customers.column("name").orElseThrow().defaultExpression());
        assertEquals(Optional.empty(), customers.column("id").orElseThrow().defaultExpression());
        assertFalse(customers.indexes().get(0).unique());

        TableSpec countries = spec.table("countries").orElseThrow();
        assertEquals(TableType.SHARED, countries.type());
        assertEquals(0, countries.partitions());
        assertEquals(Optional.of("w2"), countries.master());
        assertEquals(Optional.empty(), countries.shardingKey());
    }

    @Test
    void explicitSettingsAreRead() {
        ClusterSpec spec = load("settings.yaml").orElseThrow();

        assertTrue(spec.settings().syncReplication());
        assertEquals(8, spec.settings().defaultPartitions());
        assertEquals(java.time.Duration.ofMinutes(2), spec.settings().nodeTimeout());
        assertEquals(8, spec.table("customers").orElseThrow().partitions(), "default_partitions applies");
        assertEquals("sales", spec.table("orders").orElseThrow().schema());
        assertTrue(spec.node("w3").orElseThrow().lost());
        assertTrue(spec.table("orders").orElseThrow().indexes().get(0).unique());
        assertEquals(Optional.of("customers"), spec.table("orders").orElseThrow().colocateWith());
    }

    @Test
    void valuesKeepTheirOneBasedPositions() {
        ClusterSpec spec = load("defaults.yaml").orElseThrow();

        assertEquals(new SourcePosition("valid/defaults.yaml", 2, 10), spec.positions().of("cluster"));
        NodeSpec second = spec.node("w2").orElseThrow();
        assertEquals(new SourcePosition("valid/defaults.yaml", 7, 5), second.positions().start());
        assertEquals(new SourcePosition("valid/defaults.yaml", 7, 11), second.positions().of("name"));
        assertEquals(new SourcePosition("valid/defaults.yaml", 10, 24), second.positions().of("replication_group"));
        ColumnSpec id = spec.table("customers").orElseThrow().column("id").orElseThrow();
        assertEquals(new SourcePosition("valid/defaults.yaml", 15, 9), id.positions().start());
        assertEquals(new SourcePosition("valid/defaults.yaml", 15, 26), id.positions().of("type"));
    }

    @Test
    void absentKeysAreReportedAtTheStartOfTheirMapping() {
        NodeSpec first = load("defaults.yaml").orElseThrow().node("w1").orElseThrow();

        assertFalse(first.positions().has("lost"));
        assertEquals(first.positions().start(), first.positions().of("lost"));
        assertEquals(new SourcePosition("valid/defaults.yaml", 1, 1), load("defaults.yaml").orElseThrow().settings().positions().start());
    }

    @Test
    void unsetEnvironmentVariableIsAWarningNotAnError() {
        SpecLoadResult result = load("defaults.yaml", Map.of());

        assertTrue(result.spec().isPresent());
        assertEquals(List.of("valid/defaults.yaml:9:15: warning: node \"w2\": conninfo uses ${env:APP_PW}, but the"
                + " environment variable APP_PW is not set; set it before a command connects"),
                result.diagnostics().stream().map(Diagnostic::toString).toList());
        assertEquals(Diagnostic.Severity.WARNING, result.diagnostics().get(0).severity());
    }

    @Test
    void literalPasswordIsAWarningThatDoesNotRepeatThePassword() {
        String text = """
                cluster: demo
                shardlord: "host=db0 user=postgres password='hunter 2'"
                nodes:
                  - {name: w1, super_conninfo: "host=db1 user=postgres"}
                """;

        SpecLoadResult result = SpecLoader.load("inline.yaml", text, Map.of());

        assertTrue(result.spec().isPresent());
        assertEquals(List.of("inline.yaml:2:12: warning: spec: shardlord holds a literal password; use"
                + " password=${env:NAME} or ~/.pgpass so that the spec holds no secret"),
                result.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void conninfoReachingAnotherDatabaseThanSuperConninfoIsAWarning() {
        String text = """
                cluster: demo
                shardlord: "host=db0 user=postgres"
                nodes:
                  - name: w1
                    super_conninfo: "host=db1 dbname=sales user=postgres"
                    conninfo: "postgresql://app@db1/other"
                """;

        SpecLoadResult result = SpecLoader.load("inline.yaml", text, Map.of());

        assertTrue(result.spec().isPresent());
        assertEquals(List.of("inline.yaml:6:15: warning: node \"w1\": conninfo points at db1:5432/other but super_conninfo"
                + " at db1:5432/sales; both should reach the node's one database (write the same host, port and dbname)"),
                result.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void invalidSpecThrowsWithEveryDiagnosticWhenAsked() {
        SpecLoadResult result = SpecLoader.load("bad.yaml", "cluster: demo\n", Map.of());

        SpecValidationException thrown = assertThrows(SpecValidationException.class, result::orElseThrow);

        assertEquals(ErrorCode.INVALID_INPUT, thrown.code());
        assertEquals(2, thrown.diagnostics().size());
        assertEquals("bad.yaml is invalid: 2 errors; fix them and run the command again", thrown.summary());
        assertEquals(String.join("\n",
                "bad.yaml:1:1: spec: missing required key \"shardlord\"; add it, e.g. shardlord: \"host=db0 port=5432 dbname=postgres user=postgres\"",
                "bad.yaml:1:1: spec: missing required key \"nodes\"; add it, e.g. nodes: [{name: w1, super_conninfo: \"host=db1 dbname=postgres user=postgres\"}]"),
                thrown.detail());
    }

    @Test
    void unreadableFileIsAnInvalidInputError() {
        ShardmanException thrown = assertThrows(ShardmanException.class,
                () -> SpecLoader.load(Path.of("no/such/cluster.yaml"), Map.of()));

        assertEquals(ErrorCode.INVALID_INPUT, thrown.code());
        assertEquals("cannot read the spec no/such/cluster.yaml: no such file", thrown.summary());
    }

    private static SpecLoadResult load(String name) {
        return load(name, ENVIRONMENT);
    }

    private static SpecLoadResult load(String name, Map<String, String> environment) {
        try {
            String text = Files.readString(Path.of(ValidSpecTest.class.getResource("/valid/" + name).toURI()));
            return SpecLoader.load("valid/" + name, text, environment);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (java.net.URISyntaxException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
