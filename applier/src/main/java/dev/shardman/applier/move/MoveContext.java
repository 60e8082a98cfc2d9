package dev.shardman.applier.move;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.objects.ChangeSql;
import dev.shardman.applier.objects.ExpectedObjects;
import dev.shardman.applier.objects.NodeObject;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.DerivedNames;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.TableState;
import dev.shardman.templates.Templates;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One move as its phases see it: the stored {@link MoveRecord}, the states before and after it (the unit's primary
 * on the source, then on the destination), both nodes and the unit's tables (anchor first, as in the record).
 */
record MoveContext(MoveRecord move, ClusterState before, ClusterState after, NodeState source, NodeState destination,
                   List<TableState> tables, MoveConnections connections, ConninfoSecrets secrets) {
    MoveContext {
        requireNonNull(move, "move is null");
        requireNonNull(before, "before is null");
        requireNonNull(after, "after is null");
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
        tables = List.copyOf(tables);
        requireNonNull(connections, "connections is null");
        requireNonNull(secrets, "secrets is null");
    }

    /** The context of {@code move} from the metadata {@code before} it (the unit still on the source). */
    static MoveContext of(MoveRecord move, ClusterState before, ClusterState after, MoveConnections connections, ConninfoSecrets secrets) {
        List<TableState> tables = move.tables().stream().map(name -> before.table(name).orElseThrow(() -> new ShardmanException(
                ErrorCode.REFUSED, "the move of " + move.describe() + " names table " + name + ", which the metadata does not hold",
                "run shardman recover; it rolls the move back if it had not cut over"))).toList();
        return new MoveContext(move, before, after, node(before, move.fromNode()), node(before, move.toNode()), tables, connections, secrets);
    }

    private static NodeState node(ClusterState state, String name) {
        return state.node(name).orElseThrow(() -> new ShardmanException(ErrorCode.REFUSED, "the move names node " + name
                + ", which the metadata does not hold", "run shardman recover"));
    }

    MoveContext withMove(MoveRecord newer) {
        return new MoveContext(newer, before, after, source, destination, tables, connections, secrets);
    }

    int index() {
        return move.index();
    }

    TableName parent(TableState table) {
        return new TableName(table.schema(), table.name());
    }

    /** {@code schema.t_n} of {@code table}: the local partition on the source, the copy on the destination, the proxy after the cutover. */
    TableName partition(TableState table) {
        return new TableName(table.schema(), DerivedNames.partition(table.name(), move.index()));
    }

    TableName foreignPartition(TableState table) {
        return new TableName(table.schema(), DerivedNames.foreign(DerivedNames.partition(table.name(), move.index())));
    }

    TableName retired(TableState table) {
        return new TableName(MoveRecord.RETIRED_SCHEMA, move.retiredName(DerivedNames.partition(table.name(), move.index())));
    }

    /** The name of the destination copy's CHECK constraint (satisfies_hash_partition), also the mark of a move's copy. */
    String checkConstraint() {
        return move.channelName();
    }

    /** The expected objects of {@code node} in {@code state} that belong to {@code tables} (keys, indexes, grants included). */
    List<NodeObject> expected(ClusterState state, NodeState node, Set<TableName> tables) {
        return ExpectedObjects.forNode(state, node.name()).ofTables(tables);
    }

    ChangeSql changeSql() {
        return new ChangeSql(Templates.shared(), PasswordSource.fromState(after, secrets));
    }

    String render(String template, Map<String, Object> model) {
        return Templates.shared().render("sql/" + template + ".sql.ftl", model).strip();
    }
}
