package dev.shardman.model.state;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.FailoverSettings;
import dev.shardman.model.spec.TableType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateSnapshotsTest {
    static ClusterState sample() {
        List<NodeState> nodes = List.of(
                new NodeState(1, "w1", Optional.of("7301234"), "host=a port=5432 user=postgres", Optional.of("host=a user=app password=${env:APP_PW}"), "rg1", false),
                new NodeState(2, "w2", Optional.empty(), "host=b port=5432 user=postgres", Optional.empty(), "rg1", false),
                new NodeState(3, "true", Optional.empty(), "postgresql://postgres@c:5432/postgres", Optional.empty(), "rg1", true));
        TableState customers = new TableState("customers", "public", TableType.SHARDED,
                List.of(new ColumnState("id", "bigint", false, Optional.empty()), new ColumnState("name", "text", true, Optional.of("''"))),
                List.of("id"), List.of(new IndexState("customers_name_idx", List.of("name"), false)),
                Optional.of("id"), 2, 1, Optional.empty(), Optional.empty());
        TableState countries = new TableState("countries", "public", TableType.SHARED,
                List.of(new ColumnState("code", "char(2)", false, Optional.empty())), List.of("code"), List.of(),
                Optional.empty(), 0, 0, Optional.empty(), Optional.of("w1"), Map.of("app", List.of("SELECT"), "reporting role", List.of("INSERT", "SELECT")));
        return ClusterState.withDefaultSettings("0b8f7c1e-1111-2222-3333-444455556666", 42, nodes, List.of(customers, countries),
                List.of(new PartitionState("customers", 0, "w1"), new PartitionState("customers", 1, "w2")),
                List.of(new ReplicaState("customers_0", "w2"), new ReplicaState("customers_1", "w1")));
    }

    @Test
    void yamlRoundTrip(@TempDir Path directory) {
        Path file = directory.resolve("state.yaml");
        StateSnapshots.write(sample(), file);
        assertEquals(sample(), StateSnapshots.read(file));
    }

    @Test
    void jsonRoundTrip(@TempDir Path directory) {
        Path file = directory.resolve("state.json");
        StateSnapshots.write(sample(), file);
        assertEquals(sample(), StateSnapshots.read(file));
        assertTrue(StateSnapshots.toJson(sample()).contains("\"replication_group\" : \"rg1\""));
    }

    @Test
    void settingsRoundTripInBothFormatsAndAreOmittedWhenDefault() {
        ClusterState synchronous = sample().withSettings(new ClusterSettings(true, 1024, FailoverSettings.DEFAULTS));
        String yaml = StateSnapshots.toYaml(synchronous);
        assertTrue(yaml.contains("settings: {sync_replication: true, max_replication_lag_bytes: 1024}"), yaml);
        assertEquals(synchronous, StateSnapshots.parse(yaml, "s.yaml"));
        assertEquals(synchronous, StateSnapshots.parse(StateSnapshots.toJson(synchronous), "s.json"));
        assertFalse(StateSnapshots.toYaml(sample()).contains("settings"));
        assertEquals(ClusterSettings.DEFAULTS, StateSnapshots.parse(StateSnapshots.toYaml(sample()), "s.yaml").settings());
    }

    @Test
    void automaticFailoverSettingsRoundTripInBothFormats() {
        ClusterState automatic = sample().withSettings(new ClusterSettings(false, 1024, new FailoverSettings(true, Duration.ofSeconds(10))));
        String yaml = StateSnapshots.toYaml(automatic);
        assertTrue(yaml.contains("failover: {automatic: true, after_seconds: 10}"), yaml);
        assertEquals(automatic, StateSnapshots.parse(yaml, "s.yaml"));
        assertEquals(automatic, StateSnapshots.parse(StateSnapshots.toJson(automatic), "s.json"));
    }

    @Test
    void failoverAfterBelowTheMinimumNamesItsPosition() {
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.parse(
                "lineage: x\nserial: 1\nsettings: {sync_replication: true, failover: {automatic: true, after_seconds: 2}}\n", "s.yaml"));
        assertTrue(exception.summary().startsWith("s.yaml:3:"), exception.summary());
        assertTrue(exception.summary().contains("after_seconds must be between 5 and 86400"), exception.summary());
    }

    @Test
    void settingsWithANegativeLagNameTheirPosition() {
        ShardmanException exception = assertThrows(ShardmanException.class,
                () -> StateSnapshots.parse("lineage: x\nserial: 1\nsettings: {sync_replication: true, max_replication_lag_bytes: -1}\n", "s.yaml"));
        assertTrue(exception.summary().startsWith("s.yaml:3:"), exception.summary());
        assertTrue(exception.summary().contains("max_replication_lag_bytes must not be negative"), exception.summary());
    }

    @Test
    void partitionBytesRoundTripInBothFormatsAndAreOmittedWhenUnknown() {
        ClusterState sized = sample().withPartitionBytes(PartitionBytes.of(Map.of("customers_0", 8192L, "customers_1", 0L)));
        String yaml = StateSnapshots.toYaml(sized);
        assertTrue(yaml.contains("partition_bytes: {customers_0: 8192, customers_1: 0}"), yaml);
        assertEquals(sized, StateSnapshots.parse(yaml, "s.yaml"));
        assertEquals(sized, StateSnapshots.parse(StateSnapshots.toJson(sized), "s.json"));
        assertFalse(StateSnapshots.toYaml(sample()).contains("partition_bytes"));
        assertEquals(PartitionBytes.UNKNOWN, StateSnapshots.parse(StateSnapshots.toYaml(sample()), "s.yaml").partitionBytes());
    }

    @Test
    void partitionBytesOfAnUnknownPartitionOrNegativeNameTheirPosition() {
        String base = StateSnapshots.toYaml(sample());
        int line = (int) base.lines().count() + 1;
        ShardmanException unknown = assertThrows(ShardmanException.class,
                () -> StateSnapshots.parse(base + "partition_bytes: {customers_0: 1, orders_0: 2}\n", "s.yaml"));
        assertTrue(unknown.summary().startsWith("s.yaml:" + line + ":"), unknown.summary());
        assertTrue(unknown.summary().contains("orders_0, which is not a partition of this state"), unknown.summary());
        ShardmanException negative = assertThrows(ShardmanException.class,
                () -> StateSnapshots.parse(base + "partition_bytes: {customers_0: -1}\n", "s.yaml"));
        assertTrue(negative.summary().startsWith("s.yaml:" + line + ":"), negative.summary());
        assertTrue(negative.summary().contains("the size of customers_0 must not be negative"), negative.summary());
    }

    @Test
    void emptyStateRoundTrips() {
        assertEquals(ClusterState.empty(), StateSnapshots.parse(StateSnapshots.toYaml(ClusterState.empty()), "empty.yaml"));
    }

    @Test
    void writingIsDeterministic() {
        assertEquals(StateSnapshots.toYaml(sample()), StateSnapshots.toYaml(sample()));
    }

    @Test
    void yamlUsesDesignKeys() {
        String yaml = StateSnapshots.toYaml(sample());
        assertTrue(yaml.contains("- {name: customers_0, table: customers, index: 0, node: w1}"), yaml);
        assertTrue(yaml.contains("- {partition: customers_0, node: w2}"), yaml);
        assertTrue(yaml.contains("lineage: "), yaml);
    }

    @Test
    void refusesLiteralPassword() {
        ClusterState state = sample();
        NodeState leaky = new NodeState(9, "w9", Optional.empty(), "host=x user=postgres password=hunter2", Optional.empty(), "rg1", false);
        ClusterState withSecret = ClusterState.withDefaultSettings(state.lineage(), state.serial(), List.of(leaky), List.of(), List.of(), List.of());
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.toYaml(withSecret));
        assertEquals(ErrorCode.INVALID_INPUT, exception.code());
        assertFalse(exception.getMessage().contains("hunter2"));
    }

    @Test
    void conninfoPasswordDetection() {
        assertTrue(Conninfos.containsLiteralPassword("host=a password=x"));
        assertTrue(Conninfos.containsLiteralPassword("postgresql://app:secret@host/db"));
        assertTrue(Conninfos.containsLiteralPassword("postgresql://app@host/db?password=secret"));
        assertFalse(Conninfos.containsLiteralPassword("host=a password=${env:PW}"));
        assertFalse(Conninfos.containsLiteralPassword("postgresql://app@host/db"));
        assertFalse(Conninfos.containsLiteralPassword("host=a user=app"));
    }

    @Test
    void unknownKeyNamesLineAndColumn() {
        String yaml = """
                lineage: x
                serial: 1
                nodes:
                  - {id: 1, name: w1, replication_group: rg1, super_conninfo: "host=a", colour: red}
                """;
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.parse(yaml, "s.yaml"));
        assertEquals(ErrorCode.INVALID_INPUT, exception.code());
        assertTrue(exception.summary().startsWith("s.yaml:4:73: unknown key 'colour'"), exception.summary());
    }

    @Test
    void malformedYamlNamesPosition() {
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.parse("nodes: [\n  {id: 1,\n", "s.yaml"));
        assertTrue(exception.summary().startsWith("s.yaml:3:"), exception.summary());
    }

    @Test
    void malformedJsonNamesPosition() {
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.parse("{\"serial\": \"x\"}", "s.json"));
        assertTrue(exception.summary().startsWith("s.json:1:12: expected an integer"), exception.summary());
    }

    @Test
    void replicaOnPrimaryNodeIsRejected() {
        String yaml = """
                nodes:
                  - {id: 1, name: w1, replication_group: rg1, super_conninfo: "host=a"}
                tables:
                  - {name: t, type: sharded, columns: [], primary_key: [], indexes: [], sharding_key: id, partitions: 1, redundancy: 1}
                partitions:
                  - {name: t_0, table: t, node: w1}
                replicas:
                  - {partition: t_0, node: w1}
                """;
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.parse(yaml, "s.yaml"));
        assertTrue(exception.summary().startsWith("s.yaml:8:5: two copies of t_0 on node w1"), exception.summary());
    }

    @Test
    void jsonSyntaxErrorNamesPosition() {
        ShardmanException exception = assertThrows(ShardmanException.class, () -> StateSnapshots.parse("{\n  \"serial\": 1,\n  ]\n}", "s.json"));
        assertEquals(ErrorCode.INVALID_INPUT, exception.code());
        assertTrue(exception.summary().startsWith("s.json:3:3: malformed state file"), exception.summary());
    }

    @Test
    void yamlAndJsonOfTheSameStateReadAlike() {
        assertEquals(StateSnapshots.parse(StateSnapshots.toYaml(sample()), "a.yaml"), StateSnapshots.parse(StateSnapshots.toJson(sample()), "a.json"));
    }

    @Test
    void awkwardTextRoundTripsInBothFormats() {
        ClusterState state = sample();
        TableState awkward = new TableState("weird", "public", TableType.SHARED,
                List.of(new ColumnState("note", "text", true, Optional.of("'a: \"b\" \\ c\n\tdé #x'")),
                        new ColumnState("yes", "character varying(10)", true, Optional.of(" leading space")),
                        new ColumnState("no", "int", true, Optional.of("- 1"))),
                List.of("note"), List.of(), Optional.empty(), 0, 0, Optional.empty(), Optional.of("w1"));
        List<TableState> tables = new java.util.ArrayList<>(state.tables());
        tables.add(awkward);
        ClusterState withAwkward = ClusterState.withDefaultSettings(state.lineage(), state.serial(), state.nodes(), tables, state.partitions(), state.replicas());
        assertEquals(withAwkward, StateSnapshots.parse(StateSnapshots.toYaml(withAwkward), "a.yaml"));
        assertEquals(withAwkward, StateSnapshots.parse(StateSnapshots.toJson(withAwkward), "a.json"));
    }
}
