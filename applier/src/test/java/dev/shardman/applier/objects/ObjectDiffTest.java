package dev.shardman.applier.objects;

import dev.shardman.model.state.ClusterState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectDiffTest {
    private static final TableName CUSTOMERS = new TableName("public", "customers");
    private final ClusterState state = TestStates.offline(3, TestStates.customers(6), TestStates.orders(6));
    private final NodeObjects expected = ExpectedObjects.forNode(state, "w1");

    @Test
    void sameObjectsNeedNoChange() {
        assertEquals(List.of(), ObjectDiff.diff(expected, observed(expected.objects().values())));
    }

    @Test
    void emptyNodeGetsCreatesInDependencyOrder() {
        List<ObjectChange> changes = ObjectDiff.diff(expected, NodeObjects.empty("w1"));
        assertEquals(expected.size(), changes.size());
        assertTrue(changes.stream().allMatch(change -> change.action() == ChangeAction.CREATE));
        for (int index = 1; index < changes.size(); index++) {
            assertTrue(changes.get(index - 1).key().kind().compareTo(changes.get(index).key().kind()) <= 0, changes.toString());
        }
        assertEquals("+ extension postgres_fdw: extension postgres_fdw is missing", changes.get(0).describe());
        assertTrue(changes.stream().allMatch(change -> DriftCode.of(change) == DriftCode.MISSING));
    }

    @Test
    void unexpectedObjectsAreDroppedInReverseOrderBeforeCreates() {
        NodeObjects nothingExpected = NodeObjects.empty("w1");
        List<ObjectChange> changes = ObjectDiff.diff(nothingExpected, observed(expected.objects().values()));
        assertTrue(changes.stream().allMatch(change -> change.action() == ChangeAction.DROP));
        assertTrue(changes.stream().allMatch(change -> DriftCode.of(change) == DriftCode.UNEXPECTED));
        for (int index = 1; index < changes.size(); index++) {
            assertTrue(changes.get(index - 1).key().kind().compareTo(changes.get(index).key().kind()) >= 0, changes.toString());
        }
        assertEquals(ObjectKind.PARTITION_INDEX, changes.get(0).key().kind());
        assertEquals(ObjectKind.EXTENSION, changes.get(changes.size() - 1).key().kind());
        assertTrue(changes.stream().filter(change -> change.key().kind() == ObjectKind.LOCAL_PARTITION).allMatch(ObjectChange::losesData));
        assertFalse(changes.stream().filter(change -> change.key().kind() == ObjectKind.FOREIGN_PARTITION).anyMatch(ObjectChange::losesData));
    }

    @Test
    void foreignPartitionOnWrongServerIsReplacedWithANamedReason() {
        ForeignPartition right = (ForeignPartition) expected.get(new ObjectKey(ObjectKind.FOREIGN_PARTITION, "public.customers_2_fdw")).orElseThrow();
        ForeignPartition wrong = new ForeignPartition(right.table(), right.slot(), "shardman_node_2", right.remoteSchema(), right.remoteTable());
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(replace(right, wrong)));
        assertEquals(1, changes.size());
        assertEquals(ChangeAction.REPLACE, changes.get(0).action());
        assertEquals("foreign table customers_2_fdw points at shardman_node_2 (w2), expected shardman_node_3 (w3)", changes.get(0).reason());
    }

    @Test
    void localPartitionInWrongSlotIsAlteredNotDropped() {
        LocalPartition right = (LocalPartition) expected.get(new ObjectKey(ObjectKind.LOCAL_PARTITION, "public.customers_3")).orElseThrow();
        LocalPartition wrong = new LocalPartition(right.table(), Optional.of(new PartitionSlot(CUSTOMERS, 6, 4)));
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(replace(right, wrong)));
        assertEquals(ChangeAction.ALTER, changes.get(0).action());
        assertFalse(changes.get(0).losesData());
        assertEquals("local partition public.customers_3 is attached as remainder 4 (modulus 6) of public.customers, "
                + "expected attached as remainder 3 (modulus 6) of public.customers", changes.get(0).reason());
    }

    @Test
    void replicaTableThatMustBecomeTheLocalPartitionIsConvertedNotDroppedAndCreated() {
        LocalPartition partition = (LocalPartition) expected.get(new ObjectKey(ObjectKind.LOCAL_PARTITION, "public.customers_3")).orElseThrow();
        ReplicaTable replica = new ReplicaTable(partition.table(), CUSTOMERS, "w1", List.of());
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(replace(partition, replica)));
        assertEquals(1, changes.size(), changes.toString());
        ObjectChange conversion = changes.get(0);
        assertEquals(ChangeAction.ALTER, conversion.action());
        assertEquals(partition.key(), conversion.key());
        assertFalse(conversion.losesData());
        assertEquals("~ local partition public.customers_3: replica table public.customers_3 (of public.customers) becomes the "
                + "local partition public.customers_3 attached as remainder 3 (modulus 6) of public.customers", conversion.describe());
        List<String> statements = new ChangeSql(dev.shardman.templates.Templates.shared(), PasswordSource.none()).script(changes).stream()
                .map(SqlStatement::text).toList();
        assertEquals(List.of("DROP TRIGGER IF EXISTS \"shardman_replica_read_only\" ON \"public\".\"customers_3\"",
                "ALTER TABLE \"public\".\"customers\" ATTACH PARTITION \"public\".\"customers_3\" FOR VALUES WITH (MODULUS 6, REMAINDER 3)"), statements);
    }

    @Test
    void replicaTableStillExpectedIsNotTakenForAPromotion() {
        LocalPartition partition = (LocalPartition) expected.get(new ObjectKey(ObjectKind.LOCAL_PARTITION, "public.customers_3")).orElseThrow();
        List<NodeObject> objects = new ArrayList<>(expected.objects().values());
        objects.remove(partition);
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(objects));
        assertEquals(List.of(ChangeAction.CREATE), changes.stream().map(ObjectChange::action).toList());
    }

    @Test
    void catalogSpellingOfTypesAndDefaultsIsNoChange() {
        ParentTable right = (ParentTable) expected.get(new ObjectKey(ObjectKind.PARENT_TABLE, "public.customers")).orElseThrow();
        ParentTable asCatalog = new ParentTable(CUSTOMERS, List.of(
                new Column("id", "bigint", false, Optional.empty()),
                new Column("name", "text", false, Optional.of("''::text")),
                new Column("country", "character(2)", true, Optional.empty()),
                new Column("created_at", "timestamp with time zone", false, Optional.of("now()"))), "id");
        assertEquals(List.of(), ObjectDiff.diff(expected, observed(replace(right, asCatalog))));
    }

    @Test
    void columnDifferencesAreOneAlterWithAReasonEach() {
        ParentTable right = (ParentTable) expected.get(new ObjectKey(ObjectKind.PARENT_TABLE, "public.customers")).orElseThrow();
        ParentTable wrong = new ParentTable(CUSTOMERS, List.of(
                new Column("id", "integer", false, Optional.empty()),
                new Column("name", "text", true, Optional.empty()),
                new Column("created_at", "timestamp with time zone", false, Optional.of("now()")),
                new Column("legacy", "text", true, Optional.empty())), "id");
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(replace(right, wrong)));
        assertEquals(1, changes.size());
        assertEquals(ChangeAction.ALTER, changes.get(0).action());
        assertTrue(changes.get(0).losesData());
        assertEquals("column id of public.customers has type integer, expected bigint; "
                + "column name of public.customers is nullable, expected NOT NULL; "
                + "column name of public.customers has default none, expected (''); "
                + "column country of public.customers is missing; "
                + "column legacy of public.customers is not expected", changes.get(0).reason());
    }

    @Test
    void userMappingWithoutExpectedPasswordIsReplaced() {
        UserMapping right = (UserMapping) expected.get(new ObjectKey(ObjectKind.USER_MAPPING, "shardman_node_2 for CURRENT_USER")).orElseThrow();
        UserMapping wrong = new UserMapping(right.server(), right.localRole(), Optional.of("someone"), false);
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(replace(right, wrong)));
        assertEquals(ChangeAction.REPLACE, changes.get(0).action());
        assertEquals("user mapping for CURRENT_USER on shardman_node_2 connects as someone, expected postgres", changes.get(0).reason());
        assertEquals(DriftCode.DIFFERS, DriftCode.of(changes.get(0)), "a wrong user is not a stale password");
    }

    @Test
    void serverWithWrongPortIsAlteredAndMissingIndexCreated() {
        ForeignServer right = (ForeignServer) expected.get(new ObjectKey(ObjectKind.FOREIGN_SERVER, "shardman_node_3")).orElseThrow();
        ForeignServer wrong = ForeignServer.forPeer(3, "10.0.0.3", "5433", "app", Map.of("application_name", "shardman-fdw:w1:%p"));
        List<NodeObject> objects = replace(right, wrong);
        objects.removeIf(object -> object.key().name().equals("public.customers_country_idx_0"));
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(objects));
        assertEquals(List.of(
                "~ foreign server shardman_node_3: foreign server shardman_node_3 has port '5433', expected '5432'",
                "+ partition index public.customers_country_idx_0: index customers_country_idx_0 on public.customers_0 (country) is missing"),
                changes.stream().map(ObjectChange::describe).toList());
    }

    @Test
    void aServerWithoutTheOriginsApplicationNameIsAltered() {
        ForeignServer right = (ForeignServer) expected.get(new ObjectKey(ObjectKind.FOREIGN_SERVER, "shardman_node_3")).orElseThrow();
        java.util.TreeMap<String, String> options = new java.util.TreeMap<>(right.options());
        options.remove("application_name");
        List<ObjectChange> changes = ObjectDiff.diff(expected, observed(replace(right, new ForeignServer(right.name(), options))));
        assertEquals(List.of("~ foreign server shardman_node_3: foreign server shardman_node_3 has application_name unset, expected 'shardman-fdw:w1:%p'"),
                changes.stream().map(ObjectChange::describe).toList());
    }

    private List<NodeObject> replace(NodeObject right, NodeObject wrong) {
        List<NodeObject> objects = new ArrayList<>(expected.objects().values());
        objects.set(objects.indexOf(right), wrong);
        return objects;
    }

    private static NodeObjects observed(java.util.Collection<NodeObject> objects) {
        return NodeObjects.of("w1", objects, Map.of());
    }
}
