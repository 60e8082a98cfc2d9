package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.LockHolder;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.MoveRecord;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What drift-check reads of the shardlord, on one session: the state, the lock holder and the moves in flight (a second
 * session for the moves cost a connection and the schema checks again). Read-only like {@link LiveMetadata}, without
 * the journal of the last run, which drift-check does not report.
 */
record DriftMetadata(ClusterState state, Optional<LockHolder> lockHolder, List<MoveRecord> moves) {
    DriftMetadata {
        requireNonNull(state, "state is null");
        requireNonNull(lockHolder, "lockHolder is null");
        moves = List.copyOf(moves);
    }

    static DriftMetadata read(ConnectionFactory factory, String clusterName, String shardlordConninfo) {
        try (Connection connection = factory.connect(ConnectionTarget.shardlord(shardlordConninfo))) {
            Optional<MetadataStore> store = MetadataStore.openReadOnly(connection).map(opened -> opened.requireCluster(clusterName));
            if (store.isEmpty()) {
                return new DriftMetadata(ClusterState.empty(), Optional.empty(), List.of());
            }
            return new DriftMetadata(store.get().readState(), ClusterLock.currentHolder(connection), store.get().moves().inFlight());
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "");
        }
    }
}
