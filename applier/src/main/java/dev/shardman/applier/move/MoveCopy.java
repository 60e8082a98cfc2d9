package dev.shardman.applier.move;

import dev.shardman.applier.objects.NodeObject;
import dev.shardman.applier.objects.PartitionGrant;
import dev.shardman.applier.objects.PartitionIndex;
import dev.shardman.applier.objects.PrimaryKey;
import dev.shardman.applier.objects.SqlNames;
import dev.shardman.applier.objects.SqlStatement;
import dev.shardman.applier.objects.TableName;
import dev.shardman.applier.replication.ReplicationSql;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.TableState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Phase {@code copy}, idempotent (each object is looked up first). On the destination, in one transaction, each
 * partition {@code t_n} standalone: the parent's columns and defaults ({@code LIKE}), the CHECK
 * {@code satisfies_hash_partition(parent, P, n, key)} named {@code shardman_move_<id>} (the later ATTACH skips its scan;
 * the constraint also marks the table as this move's copy), and the primary key, indexes and grant that the
 * destination will have as holder (the reconciler's own statements). On the source the publication
 * {@code shardman_move_<id>} of the unit's partitions; on the destination the subscription of the same name (initial
 * copy, {@code synchronous_commit = on}), created alone in autocommit with the source's resolved conninfo, never printed.
 * The subscription copies in binary when both ends can ({@link #binaryFormat}): about a fifth less CPU on the
 * destination's single copying process than the text format (BENCHMARKS.md, "Binary copy, on a quiet machine").
 */
final class MoveCopy {
    /**
     * Per copy, the server's major version and the table's columns with their types; NULL when one copy is missing or has
     * a type that is not built in (oid 16384 and up: a type created on each server has its own oid on each, which the
     * binary form of a composite carries and checks; an extension's type may change its binary form between versions)
     * or has no binary I/O. One query for every copy of the move.
     */
    private static final String BINARY_COLUMNS = """
            SELECT CASE WHEN bool_and(described IS NOT NULL) THEN string_agg(copy || ' (' || described || ')', '; ' ORDER BY position) END
            FROM (SELECT copy, position, (
                    SELECT CASE WHEN bool_and(a.atttypid::int8 < 16384 AND t.typsend::oid <> 0 AND t.typreceive::oid <> 0)
                        THEN current_setting('server_version_num')::int / 10000 || ': '
                            || string_agg(quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attname) END
                    FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                    WHERE a.attrelid = to_regclass(copy) AND a.attnum > 0 AND NOT a.attisdropped) AS described
                FROM unnest(?::text[]) WITH ORDINALITY AS copies(copy, position)) AS per_copy""";

    private MoveCopy() {
    }

    static void run(MoveContext context) throws SQLException {
        createCopies(context);
        Connection source = context.connections().shared(context.source());
        String name = context.move().channelName();
        if (!MoveSql.queryBoolean(source, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?)", name)) {
            String tables = context.tables().stream().map(table -> SqlNames.qualified(context.partition(table))).collect(Collectors.joining(", "));
            ReplicationSql.execute(source, "CREATE PUBLICATION " + SqlNames.identifier(name) + " FOR TABLE " + tables);
        }
        Connection destination = context.connections().shared(context.destination());
        if (!MoveSql.queryBoolean(destination, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_subscription WHERE subname = ?"
                + " AND subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))", name)) {
            // a slot left by a subscription that was dropped without it (or a crash inside CREATE SUBSCRIPTION)
            ReplicationSql.dropSlot(source, name);
            // a copy that a crashed earlier attempt had started filling is copied again from the start
            String copies = context.tables().stream().map(table -> SqlNames.qualified(context.partition(table))).collect(Collectors.joining(", "));
            ReplicationSql.execute(destination, "TRUNCATE " + copies);
            String conninfo = context.secrets().resolve(context.source().superConninfo()).toKeywordValueString();
            boolean binary = binaryFormat(source, destination, context.tables().stream().map(context::partition).toList());
            ReplicationSql.executeWithSecret(destination, "CREATE SUBSCRIPTION " + SqlNames.identifier(name) + " CONNECTION " + SqlNames.literal(conninfo)
                    + " PUBLICATION " + SqlNames.identifier(name) + " WITH (copy_data = true, synchronous_commit = 'on', binary = " + binary + ")");
        }
    }

    /**
     * PostgreSQL's binary format is specific to the data type and, per its documentation, to the server version: a sync
     * in binary fails on a type without binary I/O or on a column whose type differs between the two ends. So binary
     * only when both ends run one major version and every copied table has the same columns (by name, as logical
     * replication matches them) of the same built-in types with send and receive functions; otherwise text, as before.
     */
    static boolean binaryFormat(Connection source, Connection destination, List<TableName> copies) throws SQLException {
        String[] names = copies.stream().map(SqlNames::qualified).toArray(String[]::new);
        Optional<String> columns = MoveSql.queryText(source, BINARY_COLUMNS, source.createArrayOf("text", names));
        return columns.isPresent() && columns.equals(MoveSql.queryText(destination, BINARY_COLUMNS, destination.createArrayOf("text", names)));
    }

    private static void createCopies(MoveContext context) throws SQLException {
        Connection destination = context.connections().shared(context.destination());
        List<SqlStatement> statements = new ArrayList<>();
        for (TableState table : context.tables()) {
            TableName copy = context.partition(table);
            if (MoveSql.exists(destination, copy)) {
                requireOwnCopy(context, destination, copy);
                continue;
            }
            TableName parent = context.parent(table);
            statements.add(SqlStatement.plain(context.render("move_create_copy", Map.of("table", SqlNames.qualified(copy),
                    "parent", SqlNames.qualified(parent), "parentLiteral", SqlNames.literal(SqlNames.qualified(parent)),
                    "check", SqlNames.identifier(context.checkConstraint()), "modulus", table.partitions(), "remainder", context.index(),
                    "key", SqlNames.identifier(table.shardingKey().orElseThrow())))));
            List<NodeObject> keys = context.expected(context.after(), context.destination(), Set.of(copy)).stream()
                    .filter(object -> object instanceof PrimaryKey || object instanceof PartitionIndex || object instanceof PartitionGrant).toList();
            statements.addAll(MoveSql.creates(context.changeSql(), keys));
        }
        if (!statements.isEmpty()) {
            MoveSql.inTransaction(destination, statements.stream().map(SqlStatement::text).toList());
        }
    }

    /** A table {@code t_n} already on the destination must be this move's copy (its CHECK), never someone else's data. */
    private static void requireOwnCopy(MoveContext context, Connection destination, TableName copy) throws SQLException {
        boolean own = MoveSql.queryBoolean(destination, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass(?)"
                + " AND conname = ?)", SqlNames.qualified(copy), context.checkConstraint());
        if (!own) {
            throw new ShardmanException(ErrorCode.REFUSED, context.destination().name() + " already has a table " + copy
                    + " that is not the copy of move " + context.move().channelName(),
                    "nothing was moved; look at that table (a leftover of an earlier move or a user's table), drop or rename it, then run apply again");
        }
    }
}
