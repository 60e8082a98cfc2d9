package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.JournalEntry;
import dev.shardman.applier.metadata.LockHolder;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * A read-only look at the shardlord (plan, drift-check, status, state pull): never migrates, never
 * writes, takes no lock. A shardlord without the {@code shardman} schema holds a new, empty cluster.
 */
public record LiveMetadata(ClusterState state, Optional<LockHolder> lockHolder, List<JournalEntry> lastRun, OptionalInt lastRunPlannedSteps) {
    public static final String APPLICATION_NAME = "shardman-plan";

    public LiveMetadata {
        lastRun = List.copyOf(lastRun);
        requireNonNull(lastRunPlannedSteps, "lastRunPlannedSteps is null");
    }

    /** The metadata of the cluster {@code clusterName} (refused when the shardlord holds another one). */
    public static LiveMetadata read(ConnectionFactory factory, String clusterName, String shardlordConninfo) {
        try (Connection connection = factory.connect(ConnectionTarget.shardlord(shardlordConninfo))) {
            Optional<MetadataStore> store = MetadataStore.openReadOnly(connection).map(opened -> opened.requireCluster(clusterName));
            if (store.isEmpty()) {
                return new LiveMetadata(ClusterState.empty(), Optional.empty(), List.of(), OptionalInt.empty());
            }
            List<JournalEntry> lastRun = store.get().journal().lastRun();
            OptionalInt planned = lastRun.isEmpty() ? OptionalInt.empty() : store.get().journal().plannedSteps(lastRun.get(0).planId());
            return new LiveMetadata(store.get().readState(), ClusterLock.currentHolder(connection), lastRun, planned);
        } catch (SQLException closing) {
            throw new ShardmanException(ErrorCode.NODE_FAILURE, "the shardlord connection failed: " + closing.getMessage(), "");
        }
    }
}
