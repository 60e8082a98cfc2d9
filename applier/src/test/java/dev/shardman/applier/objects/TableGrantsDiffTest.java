package dev.shardman.applier.objects;

import dev.shardman.model.spec.TableType;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ColumnState;
import dev.shardman.model.state.TableState;
import dev.shardman.templates.Templates;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grants from the spec and shared tables as the reconciler sees them: expected, compared, and their SQL. */
class TableGrantsDiffTest {
    private static final TableName CUSTOMERS = new TableName("public", "customers");
    private static final TableName COUNTRIES = new TableName("public", "countries");
    private final ChangeSql sql = new ChangeSql(Templates.shared(), PasswordSource.none());

    @Test
    void everyNodeExpectsTheSpecGrantsOnTheParentAndTheSharedView() {
        ClusterState state = state(countries(List.of("code", "name")));
        for (String node : List.of("w1", "w2", "w3")) {
            NodeObjects expected = ExpectedObjects.forNode(state, node);
            assertEquals(PartitionGrant.withSchemaUsage(CUSTOMERS, "app", List.of("INSERT", "SELECT")), grant(expected, CUSTOMERS, "app"));
            assertEquals(PartitionGrant.withSchemaUsage(COUNTRIES, "app", List.of("SELECT")), grant(expected, COUNTRIES, "app"));
        }
    }

    @Test
    void aRevokedPrivilegeAndAnExtraOneAreOneReplaceWithTheirReasons() {
        NodeObjects expected = ExpectedObjects.forNode(state(countries(List.of("code", "name"))), "w2");
        PartitionGrant right = grant(expected, CUSTOMERS, "app");
        PartitionGrant observed = new PartitionGrant(CUSTOMERS, "app", new TreeSet<>(List.of("DELETE", "SELECT", "USAGE")));
        List<ObjectChange> changes = ObjectDiff.diff(expected, replace(expected, right, observed));
        assertEquals(1, changes.size(), changes.toString());
        assertEquals(ChangeAction.REPLACE, changes.get(0).action());
        assertEquals("role app lacks INSERT on public.customers; role app has DELETE on public.customers, not expected", changes.get(0).reason());
        assertEquals(List.of("REVOKE DELETE, INSERT, SELECT, UPDATE ON \"public\".\"customers\" FROM \"app\"",
                "GRANT INSERT, SELECT ON \"public\".\"customers\" TO \"app\";\nGRANT USAGE ON SCHEMA \"public\" TO \"app\""),
                sql.script(changes).stream().map(SqlStatement::text).toList());
    }

    @Test
    void aGrantThatMatchesIsNoChange() {
        NodeObjects expected = ExpectedObjects.forNode(state(countries(List.of("code", "name"))), "w2");
        assertEquals(List.of(), ObjectDiff.diff(expected, NodeObjects.of("w2", expected.objects().values(), Map.of())));
    }

    @Test
    void anAddedSharedColumnAltersTheCopyAndRecreatesTheViewWithItsGrants() {
        ClusterState before = state(countries(List.of("code", "name")));
        ClusterState after = state(countries(List.of("code", "name", "population")));
        NodeObjects observed = ExpectedObjects.forNode(before, "w2");
        List<ObjectChange> changes = ObjectDiff.diff(ExpectedObjects.forNode(after, "w2"), observed);
        assertEquals(List.of(ChangeAction.ALTER, ChangeAction.REPLACE, ChangeAction.CREATE), changes.stream().map(ObjectChange::action).toList(),
                changes.toString());
        assertFalse(changes.stream().anyMatch(ObjectChange::losesData), "the copy keeps its rows");
        assertEquals(ObjectKind.SHARED_DATA, changes.get(0).key().kind());
        assertEquals(ObjectKind.SHARED_VIEW, changes.get(1).key().kind());
        assertEquals("grant of SELECT, USAGE on public.countries to app is lost with the re-created public.countries", changes.get(2).reason());
        List<String> statements = sql.script(changes).stream().map(SqlStatement::text).toList();
        assertTrue(statements.get(1).startsWith("ALTER TABLE \"shardman_shared\".\"countries\""), statements.toString());
        assertTrue(statements.get(1).contains("ADD COLUMN \"population\""), statements.toString());
    }

    @Test
    void aSharedColumnTypeChangeDropsTheViewAndItsForeignTableBeforeTheAlterAndRecreatesThemAfter() {
        NodeObjects observed = ExpectedObjects.forNode(state(countries(List.of("code", "population"), "integer")), "w2");
        List<ObjectChange> changes = ObjectDiff.diff(ExpectedObjects.forNode(state(countries(List.of("code", "population"), "bigint")), "w2"), observed);
        ObjectChange view = changes.stream().filter(change -> change.key().kind() == ObjectKind.SHARED_VIEW).findFirst().orElseThrow();
        assertEquals(ChangeAction.REPLACE, view.action());
        assertEquals("shared table view public.countries has columns [code text, population integer], expected [code text, population bigint];"
                + " foreign table public.countries_fdw has columns [code text, population integer], expected [code text, population bigint]", view.reason());
        List<String> statements = sql.script(changes).stream().map(SqlStatement::text).toList();
        int drop = indexOf(statements, "DROP VIEW IF EXISTS \"public\".\"countries\"");
        int alter = indexOf(statements, "ALTER COLUMN \"population\" TYPE bigint");
        int create = indexOf(statements, "CREATE VIEW");
        assertTrue(drop < alter && alter < create, statements.toString());
    }

    @Test
    void typeSpellingsThatMeanTheSameTypeAreNoChangeOfTheView() {
        NodeObjects expected = ExpectedObjects.forNode(state(countries(List.of("code", "population"), "int8")), "w2");
        NodeObjects observed = ExpectedObjects.forNode(state(countries(List.of("code", "population"), "bigint")), "w2");
        assertEquals(List.of(), ObjectDiff.diff(expected, observed).stream().filter(change -> change.key().kind() == ObjectKind.SHARED_VIEW).toList());
    }

    @Test
    void aColumnOptionOnASharedForeignTableIsDrift() {
        NodeObjects expected = ExpectedObjects.forNode(state(countries(List.of("code", "name"))), "w2");
        SharedView right = (SharedView) expected.get(new ObjectKey(ObjectKind.SHARED_VIEW, COUNTRIES.toString())).orElseThrow();
        SharedView remapped = new SharedView(right.view(), right.data(), right.columns(), right.masterServer(), true, right.foreignColumns(),
                List.of("name (column_name 'code')"));
        List<ObjectChange> changes = ObjectDiff.diff(expected, replace(expected, right, remapped));
        assertEquals(ChangeAction.REPLACE, changes.get(0).action(), changes.toString());
        assertEquals("foreign table public.countries_fdw has column options [name (column_name 'code')], expected none", changes.get(0).reason());
    }

    private static int indexOf(List<String> statements, String fragment) {
        for (int index = 0; index < statements.size(); index++) {
            if (statements.get(index).contains(fragment)) {
                return index;
            }
        }
        throw new AssertionError("no statement with " + fragment + " in " + statements);
    }

    @Test
    void aDroppedSharedColumnLosesDataAndAViewWithInvokerRightsIsRecreated() {
        NodeObjects expected = ExpectedObjects.forNode(state(countries(List.of("code"))), "w2");
        List<NodeObject> observed = new ArrayList<>(ExpectedObjects.forNode(state(countries(List.of("code", "name"))), "w2").objects().values());
        observed.replaceAll(object -> object instanceof SharedView view
                ? new SharedView(view.view(), view.data(), view.columns().subList(0, 1), view.masterServer(), false,
                        view.foreignColumns().subList(0, 1), view.foreignColumnOptions()) : object);
        List<ObjectChange> changes = ObjectDiff.diff(expected, NodeObjects.of("w2", observed, Map.of()));
        ObjectChange data = changes.stream().filter(change -> change.key().kind() == ObjectKind.SHARED_DATA).findFirst().orElseThrow();
        assertEquals(ChangeAction.ALTER, data.action());
        assertTrue(data.losesData());
        ObjectChange view = changes.stream().filter(change -> change.key().kind() == ObjectKind.SHARED_VIEW).findFirst().orElseThrow();
        assertEquals(ChangeAction.REPLACE, view.action());
        assertTrue(view.reason().contains("with invoker rights"), view.reason());
    }

    @Test
    void theMasterGrantsItsConninfoRoleTheSharedDataAndItsSchema() {
        ClusterState state = TestStates.state(2, id -> "host=10.0.0." + id + " port=5432 dbname=app user=postgres", countries(List.of("code", "name")));
        state = ClusterState.withDefaultSettings(state.lineage(), state.serial(), state.nodes().stream()
                .map(node -> new dev.shardman.model.state.NodeState(node.id(), node.name(), node.systemIdentifier(), node.superConninfo(),
                        Optional.of("host=10.0.0." + node.id() + " port=5432 dbname=app user=fdw"), node.replicationGroup(), false)).toList(),
                state.tables(), state.partitions(), state.replicas());
        TableName data = SharedData.nameFor("countries");
        assertEquals(PartitionGrant.withSchemaUsage(data, "fdw", PartitionGrant.PRIVILEGES), grant(ExpectedObjects.forNode(state, "w1"), data, "fdw"));
        assertFalse(ExpectedObjects.forNode(state, "w2").get(new ObjectKey(ObjectKind.PARTITION_GRANT, data + " to fdw")).isPresent(),
                "a copy is written by replication only");
    }

    private static ClusterState state(TableState shared) {
        TableState customers = TestStates.customers(6).withGrants(Map.of("app", List.of("SELECT", "INSERT")));
        return TestStates.offline(3, customers, shared);
    }

    private static TableState countries(List<String> columns) {
        return countries(columns, "bigint");
    }

    private static TableState countries(List<String> columns, String populationType) {
        return new TableState("countries", "public", TableType.SHARED,
                columns.stream().map(name -> new ColumnState(name, name.equals("population") ? populationType : "text", !name.equals("code"), Optional.empty())).toList(),
                List.of("code"), List.of(), Optional.empty(), 0, 0, Optional.empty(), Optional.of("w1"), Map.of("app", List.of("SELECT")));
    }

    private static PartitionGrant grant(NodeObjects objects, TableName table, String role) {
        return (PartitionGrant) objects.get(new ObjectKey(ObjectKind.PARTITION_GRANT, table + " to " + role)).orElseThrow();
    }

    private static NodeObjects replace(NodeObjects expected, NodeObject right, NodeObject wrong) {
        List<NodeObject> objects = new ArrayList<>(expected.objects().values());
        objects.set(objects.indexOf(right), wrong);
        return NodeObjects.of(expected.node(), objects, Map.of());
    }
}
