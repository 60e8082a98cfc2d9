package dev.shardman.applier.objects;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.templates.Templates;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The SQL that closes one {@link ObjectChange}, rendered from {@code templates/sql/<action>_<kind>.sql.ftl}.
 * Every identifier is quoted and every literal escaped here, in Java; templates only lay out text.
 * Types and default expressions are SQL fragments from cluster.yaml and pass through as written.
 * A user mapping's password is rendered only into {@link SqlStatement#text()}; the redacted text
 * shows {@code '***'}.
 */
public final class ChangeSql {
    static final String REDACTED = "'***'";

    private final Templates templates;
    private final PasswordSource passwords;

    /** Where the expected objects' connection values are resolved before a diff ({@link PasswordSource#resolve}). */
    PasswordSource passwords() {
        return passwords;
    }

    public ChangeSql(Templates templates, PasswordSource passwords) {
        this.templates = requireNonNull(templates, "templates is null");
        this.passwords = requireNonNull(passwords, "passwords is null");
    }

    /** Everything that one change runs: its removal half, then its creation half. */
    public List<SqlStatement> statements(ObjectChange change) {
        List<SqlStatement> result = new ArrayList<>(removal(change));
        result.addAll(creation(change));
        return List.copyOf(result);
    }

    /**
     * The statements of changes ordered by {@link ObjectDiff}: first the removal halves (DROPs and
     * the drop part of REPLACEs) in reverse dependency order, then the creation halves (CREATE,
     * ALTER, the create part of REPLACEs) in dependency order.
     */
    public List<SqlStatement> script(List<ObjectChange> changes) {
        List<SqlStatement> result = new ArrayList<>();
        changes.stream().sorted((left, right) -> right.key().compareTo(left.key())).forEach(change -> result.addAll(removal(change)));
        changes.stream().sorted((left, right) -> left.key().compareTo(right.key())).forEach(change -> result.addAll(creation(change)));
        return List.copyOf(result);
    }

    List<SqlStatement> removal(ObjectChange change) {
        if (change.action() == ChangeAction.DROP || change.action() == ChangeAction.REPLACE) {
            return List.of(drop(change.observed().orElseThrow()));
        }
        return List.of();
    }

    List<SqlStatement> creation(ObjectChange change) {
        switch (change.action()) {
            case CREATE:
            case REPLACE:
                return List.of(create(change.expected().orElseThrow()));
            case ALTER:
                return alter(change.expected().orElseThrow(), change.observed().orElseThrow());
            case DROP:
                return List.of();
        }
        throw new IllegalStateException("unknown action " + change.action());
    }

    private SqlStatement create(NodeObject object) {
        return object.accept(new CreateStatement());
    }

    private SqlStatement drop(NodeObject object) {
        return object.accept(new DropStatement());
    }

    /** {@code create_<kind>.sql.ftl} with the object's quoted names and escaped values. */
    private final class CreateStatement implements NodeObjectVisitor<SqlStatement> {
        @Override
        public SqlStatement visitExtension(PostgresFdwExtension extension) {
            return render("create_extension", Map.of("extension", SqlNames.identifier(PostgresFdwExtension.NAME)));
        }

        @Override
        public SqlStatement visitForeignServer(ForeignServer server) {
            return render("create_foreign_server", Map.of("server", SqlNames.identifier(server.name()),
                    "options", server.options().entrySet().stream().map(entry -> option(entry.getKey(), entry.getValue())).toList()));
        }

        @Override
        public SqlStatement visitUserMapping(UserMapping mapping) {
            return createUserMapping(mapping);
        }

        @Override
        public SqlStatement visitParentTable(ParentTable parent) {
            return render("create_parent_table", Map.of("table", SqlNames.qualified(parent.table()),
                    "columns", parent.columns().stream().map(ChangeSql::columnModel).toList(),
                    "hashKey", SqlNames.identifier(parent.hashKey())));
        }

        @Override
        public SqlStatement visitLocalPartition(LocalPartition partition) {
            Map<String, Object> model = new HashMap<>();
            model.put("table", SqlNames.qualified(partition.table()));
            putSlot(model, partition.slot().orElseThrow(() -> new IllegalArgumentException(partition.describe() + " has no slot")));
            return render("create_local_partition", model);
        }

        @Override
        public SqlStatement visitSharedData(SharedData data) {
            return render("create_shared_data", Map.of("schema", SqlNames.identifier(data.table().schema()),
                    "table", SqlNames.qualified(data.table()), "columns", data.columns().stream().map(ChangeSql::columnModel).toList()));
        }

        @Override
        public SqlStatement visitSharedView(SharedView view) {
            Map<String, Object> model = new HashMap<>();
            model.put("view", SqlNames.literal(SqlNames.qualified(view.view())));
            model.put("data", SqlNames.literal(SqlNames.qualified(view.data())));
            model.put("function", SqlNames.literal(SqlNames.qualified(view.writeFunction())));
            model.put("foreignTable", SqlNames.literal(SqlNames.qualified(view.foreignTable())));
            model.put("remote", view.masterServer().isPresent());
            model.put("server", SqlNames.literal(SqlNames.identifier(view.masterServer().orElse("none"))));
            model.put("remoteSchema", SqlNames.literal(view.data().schema()));
            model.put("remoteTable", SqlNames.literal(view.data().name()));
            return render("create_shared_view", model);
        }

        @Override
        public SqlStatement visitReplicaTable(ReplicaTable replica) {
            return render("create_replica_table", Map.of("table", SqlNames.qualified(replica.table()),
                    "parent", SqlNames.qualified(replica.parent()),
                    "trigger", SqlNames.identifier(ReplicaTable.READ_ONLY_TRIGGER),
                    "message", SqlNames.literal("shardman: " + replica.table() + " on " + replica.node()
                            + " is a replica; write through the parent table " + replica.parent())));
        }

        @Override
        public SqlStatement visitForeignPartition(ForeignPartition partition) {
            Map<String, Object> model = new HashMap<>();
            model.put("table", SqlNames.qualified(partition.table()));
            putSlot(model, partition.slot().orElseThrow(() -> new IllegalArgumentException(partition.describe() + " has no slot")));
            model.put("server", SqlNames.identifier(partition.server()));
            model.put("remoteSchema", SqlNames.literal(partition.remoteSchema()));
            model.put("remoteTable", SqlNames.literal(partition.remoteTable()));
            return render("create_foreign_partition", model);
        }

        @Override
        public SqlStatement visitPrimaryKey(PrimaryKey primaryKey) {
            return renderScanning("create_primary_key", Map.of("table", SqlNames.qualified(primaryKey.table()),
                    "name", SqlNames.identifier(primaryKey.name()), "columns", SqlNames.identifiers(primaryKey.columns())));
        }

        @Override
        public SqlStatement visitPartitionIndex(PartitionIndex index) {
            return renderScanning("create_partition_index", Map.of("table", SqlNames.qualified(index.table()),
                    "name", SqlNames.identifier(index.name()), "columns", SqlNames.identifiers(index.columns()), "unique", index.unique()));
        }

        @Override
        public SqlStatement visitPartitionGrant(PartitionGrant grant) {
            Map<String, Object> model = new HashMap<>(grantModel(grant, grant.tablePrivileges()));
            if (grant.includesSchemaUsage()) {
                model.put("schema", SqlNames.identifier(grant.table().schema()));
            }
            return render("create_partition_grant", model);
        }
    }

    /** {@code drop_<kind>.sql.ftl}: every drop is {@code IF EXISTS}, none cascades. */
    private final class DropStatement implements NodeObjectVisitor<SqlStatement> {
        @Override
        public SqlStatement visitExtension(PostgresFdwExtension extension) {
            return render("drop_extension", Map.of("extension", SqlNames.identifier(PostgresFdwExtension.NAME)));
        }

        @Override
        public SqlStatement visitForeignServer(ForeignServer server) {
            return render("drop_foreign_server", Map.of("server", SqlNames.identifier(server.name())));
        }

        @Override
        public SqlStatement visitUserMapping(UserMapping mapping) {
            return render("drop_user_mapping", Map.of("server", SqlNames.identifier(mapping.server()), "role", SqlNames.role(mapping.localRole())));
        }

        @Override
        public SqlStatement visitParentTable(ParentTable parent) {
            return render("drop_parent_table", Map.of("table", SqlNames.qualified(parent.table())));
        }

        @Override
        public SqlStatement visitLocalPartition(LocalPartition partition) {
            return render("drop_local_partition", Map.of("table", SqlNames.qualified(partition.table())));
        }

        @Override
        public SqlStatement visitSharedData(SharedData data) {
            return render("drop_shared_data", Map.of("table", SqlNames.qualified(data.table())));
        }

        @Override
        public SqlStatement visitSharedView(SharedView view) {
            return render("drop_shared_view", Map.of("view", SqlNames.qualified(view.view()), "function", SqlNames.qualified(view.writeFunction()),
                    "foreignTable", SqlNames.qualified(view.foreignTable())));
        }

        @Override
        public SqlStatement visitReplicaTable(ReplicaTable replica) {
            return render("drop_replica_table", Map.of("table", SqlNames.qualified(replica.table())));
        }

        @Override
        public SqlStatement visitForeignPartition(ForeignPartition partition) {
            return render("drop_foreign_partition", Map.of("table", SqlNames.qualified(partition.table())));
        }

        @Override
        public SqlStatement visitPrimaryKey(PrimaryKey primaryKey) {
            return render("drop_primary_key", Map.of("table", SqlNames.qualified(primaryKey.table()), "name", SqlNames.identifier(primaryKey.name())));
        }

        @Override
        public SqlStatement visitPartitionIndex(PartitionIndex index) {
            return render("drop_partition_index", Map.of("index", SqlNames.qualified(index.table().sibling(index.name()))));
        }

        @Override
        public SqlStatement visitPartitionGrant(PartitionGrant grant) {
            return render("drop_partition_grant", grantModel(grant, PartitionGrant.PRIVILEGES));
        }
    }

    /**
     * GRANT names the expected privileges; REVOKE all that shardman observes (revoking one not held is a no-op),
     * never the schema's USAGE, which other tables of the schema may need.
     */
    private static Map<String, Object> grantModel(PartitionGrant grant, Collection<String> privileges) {
        return Map.of("table", SqlNames.qualified(grant.table()), "role", SqlNames.identifier(grant.role()),
                "privileges", String.join(", ", privileges));
    }

    private List<SqlStatement> alter(NodeObject expected, NodeObject observed) {
        if (expected instanceof ForeignServer server && observed instanceof ForeignServer actual) {
            return List.of(render("alter_foreign_server", Map.of("server", SqlNames.identifier(server.name()), "options", optionChanges(server, actual))));
        }
        if (expected instanceof ParentTable parent && observed instanceof ParentTable actual) {
            List<Map<String, Object>> changes = ColumnChange.between(parent, actual).stream().map(ChangeSql::columnChangeModel).toList();
            return List.of(renderScanning("alter_parent_table", Map.of("table", SqlNames.qualified(parent.table()), "changes", changes)));
        }
        if (expected instanceof SharedData data && observed instanceof SharedData actual) {
            List<Map<String, Object>> changes = ColumnChange.between(new ParentTable(data.table(), data.columns(), ParentTable.NOT_HASH_PARTITIONED),
                    new ParentTable(actual.table(), actual.columns(), ParentTable.NOT_HASH_PARTITIONED)).stream().map(ChangeSql::columnChangeModel).toList();
            return List.of(render("alter_parent_table", Map.of("table", SqlNames.qualified(data.table()), "changes", changes)));
        }
        if (expected instanceof ReplicaTable replica && observed instanceof ReplicaTable actual) {
            List<Map<String, Object>> changes = ColumnChange.between(new ParentTable(replica.table(), replica.columns(), ParentTable.NOT_HASH_PARTITIONED),
                    new ParentTable(actual.table(), actual.columns(), ParentTable.NOT_HASH_PARTITIONED)).stream().map(ChangeSql::columnChangeModel).toList();
            return List.of(renderScanning("alter_parent_table", Map.of("table", SqlNames.qualified(replica.table()), "changes", changes)));
        }
        if (expected instanceof LocalPartition partition && observed instanceof LocalPartition actual) {
            List<SqlStatement> result = new ArrayList<>();
            actual.slot().ifPresent(slot -> result.add(render("detach_local_partition",
                    Map.of("parent", SqlNames.qualified(slot.parent()), "table", SqlNames.qualified(actual.table())))));
            Map<String, Object> model = new HashMap<>();
            model.put("table", SqlNames.qualified(partition.table()));
            putSlot(model, partition.slot().orElseThrow());
            result.add(renderScanning("attach_local_partition", model));
            return result;
        }
        if (expected instanceof LocalPartition partition && observed instanceof ReplicaTable replica) {
            // promotion: the replica's rows become the partition's; never drop + create
            Map<String, Object> model = new HashMap<>();
            model.put("table", SqlNames.qualified(partition.table()));
            putSlot(model, partition.slot().orElseThrow());
            return List.of(render("drop_replica_trigger", Map.of("table", SqlNames.qualified(replica.table()),
                            "trigger", SqlNames.identifier(ReplicaTable.READ_ONLY_TRIGGER))),
                    renderScanning("attach_local_partition", model));
        }
        throw new IllegalArgumentException("no ALTER for " + expected.describe());
    }

    private SqlStatement createUserMapping(UserMapping mapping) {
        Optional<String> password = mapping.hasPassword() ? passwords.passwordFor(mapping) : Optional.empty();
        if (mapping.hasPassword() && password.isEmpty()) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "no password for " + mapping.describe(),
                    "set the environment variable that the node's conninfo references, then run again");
        }
        List<Map<String, Object>> options = new ArrayList<>();
        mapping.remoteUser().ifPresent(user -> options.add(option("user", user)));
        List<Map<String, Object>> redactedOptions = new ArrayList<>(options);
        password.ifPresent(secret -> {
            options.add(option("password", secret));
            redactedOptions.add(Map.of("name", SqlNames.identifier("password"), "value", REDACTED));
        });
        Map<String, Object> model = Map.of("server", SqlNames.identifier(mapping.server()), "role", SqlNames.role(mapping.localRole()));
        String text = templates.render(templatePath("create_user_mapping"), with(model, "options", options)).strip();
        String redacted = templates.render(templatePath("create_user_mapping"), with(model, "options", redactedOptions)).strip();
        return new SqlStatement(text, redacted);
    }

    /** {@code PREPARE TRANSACTION 'gid'}, {@code COMMIT PREPARED 'gid'}, {@code ROLLBACK PREPARED 'gid'}. */
    SqlStatement transactionControl(String template, String gid) {
        return render(template, Map.of("gid", SqlNames.literal(gid)));
    }

    private SqlStatement render(String template, Map<String, Object> model) {
        return SqlStatement.plain(templates.render(templatePath(template), model).strip());
    }

    /** A statement that may read or rewrite every row of a table (index builds, type changes, validating ATTACH). */
    private SqlStatement renderScanning(String template, Map<String, Object> model) {
        return SqlStatement.scanning(templates.render(templatePath(template), model).strip());
    }

    private static String templatePath(String template) {
        return "sql/" + template + ".sql.ftl";
    }

    private static Map<String, Object> with(Map<String, Object> model, String key, Object value) {
        Map<String, Object> result = new HashMap<>(model);
        result.put(key, value);
        return result;
    }

    private static Map<String, Object> option(String name, String value) {
        return Map.of("name", SqlNames.identifier(name), "value", SqlNames.literal(value));
    }

    private static List<Map<String, Object>> optionChanges(ForeignServer expected, ForeignServer observed) {
        List<Map<String, Object>> result = new ArrayList<>();
        expected.options().forEach((name, value) -> {
            String actual = observed.options().get(name);
            if (!value.equals(actual)) {
                result.add(Map.of("operation", actual == null ? "ADD" : "SET", "name", SqlNames.identifier(name), "value", SqlNames.literal(value)));
            }
        });
        observed.options().keySet().stream().filter(name -> !expected.options().containsKey(name))
                .forEach(name -> result.add(Map.of("operation", "DROP", "name", SqlNames.identifier(name))));
        return result;
    }

    private static Map<String, Object> columnModel(Column column) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", SqlNames.identifier(column.name()));
        model.put("type", column.type());
        model.put("notNull", !column.nullable());
        column.defaultExpression().ifPresent(expression -> model.put("default", expression));
        return model;
    }

    private static Map<String, Object> columnChangeModel(ColumnChange change) {
        Map<String, Object> model = columnModel(change.column());
        model.put("operation", change.operation().name());
        model.put("column", model.get("name"));
        return model;
    }

    private static void putSlot(Map<String, Object> model, PartitionSlot slot) {
        model.put("parent", SqlNames.qualified(slot.parent()));
        model.put("modulus", slot.modulus());
        model.put("remainder", slot.remainder());
    }
}
