package dev.shardman.applier.objects;

import dev.shardman.templates.Templates;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeSqlTest {
    private static final TableName ODD_PARENT = new TableName("Sales Data", "My \"Odd\" Table");
    private final ChangeSql sql = new ChangeSql(Templates.shared(), mapping -> Optional.of("s3cr'et"));

    @Test
    void identifiersWithQuotesUppercaseAndSpacesAreQuoted() {
        ParentTable parent = new ParentTable(ODD_PARENT, List.of(
                new Column("Id", "bigint", false, Optional.empty()),
                new Column("full name", "text", true, Optional.of("'x'"))), "Id");
        assertEquals(List.of("CREATE TABLE \"Sales Data\".\"My \"\"Odd\"\" Table\" (\"Id\" bigint NOT NULL, \"full name\" text DEFAULT 'x') "
                + "PARTITION BY HASH (\"Id\")"), texts(create(parent)));
    }

    @Test
    void foreignPartitionQuotesNamesAndEscapesOptionLiterals() {
        ForeignPartition partition = new ForeignPartition(ODD_PARENT.sibling("it's_1000_fdw"),
                Optional.of(new PartitionSlot(ODD_PARENT, 2000, 1000)), "shardman_node_2", "Sales Data", "it's_1000");
        assertEquals(List.of("CREATE FOREIGN TABLE \"Sales Data\".\"it's_1000_fdw\" PARTITION OF \"Sales Data\".\"My \"\"Odd\"\" Table\" "
                + "FOR VALUES WITH (MODULUS 2000, REMAINDER 1000) SERVER \"shardman_node_2\" "
                + "OPTIONS (schema_name 'Sales Data', table_name 'it''s_1000')"), texts(create(partition)));
    }

    @Test
    void serverOptionsAreQuotedAndSorted() {
        assertEquals(List.of("CREATE SERVER \"shardman_node_7\" FOREIGN DATA WRAPPER postgres_fdw OPTIONS (\"async_capable\" 'true', "
                + "\"batch_size\" '1000', \"dbname\" 'my''db', \"fetch_size\" '10000', \"host\" 'h', \"port\" '5432', \"truncatable\" 'false')"),
                texts(create(ForeignServer.forPeer(7, "h", "5432", "my'db"))));
    }

    @Test
    void passwordAppearsOnlyInTheExecutedText() {
        UserMapping mapping = new UserMapping("shardman_node_2", UserMapping.CURRENT_USER, Optional.of("App User"), true);
        SqlStatement statement = sql.statements(create(mapping)).get(0);
        assertEquals("CREATE USER MAPPING FOR CURRENT_USER SERVER \"shardman_node_2\" OPTIONS (\"user\" 'App User', \"password\" 's3cr''et')",
                statement.text());
        assertEquals("CREATE USER MAPPING FOR CURRENT_USER SERVER \"shardman_node_2\" OPTIONS (\"user\" 'App User', \"password\" '***')",
                statement.redactedText());
        assertFalse(statement.toString().contains("s3cr"));
        assertFalse(create(mapping).toString().contains("s3cr"));
    }

    @Test
    void missingPasswordIsAnErrorWithoutSecrets() {
        ChangeSql withoutPasswords = new ChangeSql(Templates.shared(), PasswordSource.none());
        UserMapping mapping = new UserMapping("shardman_node_2", UserMapping.CURRENT_USER, Optional.of("app"), true);
        assertThrows(RuntimeException.class, () -> withoutPasswords.statements(create(mapping)));
    }

    @Test
    void replacingAForeignPartitionAwayFromADroppedServerDropsTheTableFirst() {
        TableName parent = new TableName("public", "t");
        Optional<PartitionSlot> slot = Optional.of(new PartitionSlot(parent, 4, 1));
        ForeignPartition old = new ForeignPartition(parent.sibling("t_1_fdw"), slot, "shardman_node_2", "public", "t_1");
        ForeignPartition moved = new ForeignPartition(parent.sibling("t_1_fdw"), slot, "shardman_node_3", "public", "t_1");
        ForeignServer oldServer = ForeignServer.forPeer(2, "h2", "5432", "db");
        ForeignServer newServer = ForeignServer.forPeer(3, "h3", "5432", "db");
        NodeObjects expected = NodeObjects.of("w1", List.of(newServer, moved), Map.of());
        NodeObjects observed = NodeObjects.of("w1", List.of(oldServer, old), Map.of());
        List<String> script = sql.script(ObjectDiff.diff(expected, observed)).stream().map(SqlStatement::text).toList();
        assertEquals(List.of(
                "DROP FOREIGN TABLE IF EXISTS \"public\".\"t_1_fdw\"",
                "DROP SERVER IF EXISTS \"shardman_node_2\"",
                "CREATE SERVER \"shardman_node_3\" FOREIGN DATA WRAPPER postgres_fdw OPTIONS (\"async_capable\" 'true', \"batch_size\" '1000', "
                        + "\"dbname\" 'db', \"fetch_size\" '10000', \"host\" 'h3', \"port\" '5432', \"truncatable\" 'false')",
                "CREATE FOREIGN TABLE \"public\".\"t_1_fdw\" PARTITION OF \"public\".\"t\" FOR VALUES WITH (MODULUS 4, REMAINDER 1) "
                        + "SERVER \"shardman_node_3\" OPTIONS (schema_name 'public', table_name 't_1')"), script);
    }

    @Test
    void columnChangesAreOneAlterTableOnTheParent() {
        ParentTable expected = new ParentTable(ODD_PARENT, List.of(
                new Column("Id", "bigint", false, Optional.empty()),
                new Column("e mail", "text", false, Optional.of("''"))), "Id");
        ParentTable observed = new ParentTable(ODD_PARENT, List.of(
                new Column("Id", "integer", true, Optional.of("0")),
                new Column("old", "text", true, Optional.empty())), "Id");
        List<ObjectChange> changes = ObjectDiff.diff(NodeObjects.of("w1", List.of(expected), Map.of()), NodeObjects.of("w1", List.of(observed), Map.of()));
        assertEquals(List.of("ALTER TABLE \"Sales Data\".\"My \"\"Odd\"\" Table\" ALTER COLUMN \"Id\" TYPE bigint, ALTER COLUMN \"Id\" SET NOT NULL, "
                + "ALTER COLUMN \"Id\" DROP DEFAULT, ADD COLUMN \"e mail\" text NOT NULL DEFAULT '', DROP COLUMN \"old\""), texts(changes.get(0)));
    }

    @Test
    void localPartitionInWrongSlotIsDetachedAndAttached() {
        TableName parent = new TableName("public", "T");
        LocalPartition expected = new LocalPartition(parent.sibling("T_3"), Optional.of(new PartitionSlot(parent, 4, 3)));
        LocalPartition observed = new LocalPartition(parent.sibling("T_3"), Optional.of(new PartitionSlot(parent, 4, 2)));
        List<ObjectChange> changes = ObjectDiff.diff(NodeObjects.of("w1", List.of(expected), Map.of()), NodeObjects.of("w1", List.of(observed), Map.of()));
        assertEquals(List.of("ALTER TABLE \"public\".\"T\" DETACH PARTITION \"public\".\"T_3\"",
                "ALTER TABLE \"public\".\"T\" ATTACH PARTITION \"public\".\"T_3\" FOR VALUES WITH (MODULUS 4, REMAINDER 3)"), texts(changes.get(0)));
    }

    @Test
    void everyKindHasCreateAndDropTemplates() {
        for (ObjectKind kind : ObjectKind.values()) {
            for (String action : List.of("create_", "drop_")) {
                assertTrue(ChangeSqlTest.class.getResource("/templates/sql/" + action + kind.templateStem() + ".sql.ftl") != null, action + kind);
            }
        }
        assertEquals(ObjectKind.values().length, NodeObject.class.getPermittedSubclasses().length);
    }

    @Test
    void indexesAndKeysAreQuoted() {
        TableName table = new TableName("public", "T_0");
        assertEquals(List.of("CREATE UNIQUE INDEX \"Idx x_0\" ON \"public\".\"T_0\" (\"A\", \"b c\")"),
                texts(create(new PartitionIndex(table, "Idx x_0", List.of("A", "b c"), true))));
        assertEquals(List.of("ALTER TABLE \"public\".\"T_0\" ADD CONSTRAINT \"T_0_pkey\" PRIMARY KEY (\"A\")"),
                texts(create(new PrimaryKey(table, "T_0_pkey", List.of("A")))));
        assertEquals("PREPARE TRANSACTION 'shardman_x''y'", sql.transactionControl("prepare_transaction", "shardman_x'y").text());
    }

    @Test
    void indexBuildsAreMarkedAsScanningDataAndCatalogStatementsAreNot() {
        TableName table = new TableName("public", "t_0");
        assertTrue(sql.statements(create(new PartitionIndex(table, "i_0", List.of("a"), false))).get(0).scansData());
        assertTrue(sql.statements(create(new PrimaryKey(table, "t_0_pkey", List.of("a")))).get(0).scansData());
        assertFalse(sql.statements(create(ForeignServer.forPeer(7, "h", "5432", "db"))).get(0).scansData());
        assertFalse(sql.transactionControl("prepare_transaction", "shardman_x").scansData());
    }

    private static ObjectChange create(NodeObject object) {
        return new ObjectChange(ChangeAction.CREATE, object.key(), Optional.of(object), Optional.empty(), "missing", false);
    }

    private List<String> texts(ObjectChange change) {
        return sql.statements(change).stream().map(SqlStatement::text).toList();
    }
}
