package dev.shardman.applier.move;

import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.applier.objects.ForeignPartition;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.DerivedNames;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.TableState;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The relations of moves in flight that the reconcilers and drift-check leave to the move: {@code schema.t_n} (the
 * source's partition, the destination's copy, the proxy) and {@code schema.t_n_fdw} of each table of the unit.
 */
public final class MoveTables {
    private MoveTables() {
    }

    public static Set<TableName> of(Collection<MoveRecord> moves, ClusterState state) {
        Set<TableName> result = new HashSet<>();
        for (MoveRecord move : moves) {
            for (String table : move.tables()) {
                String schema = state.table(table).map(TableState::schema).orElse("public");
                String partition = DerivedNames.partition(table, move.index());
                result.add(new TableName(schema, partition));
                result.add(new TableName(schema, ForeignPartition.nameFor(partition)));
            }
        }
        return result;
    }
}
