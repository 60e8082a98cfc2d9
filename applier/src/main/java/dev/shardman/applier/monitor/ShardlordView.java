package dev.shardman.applier.monitor;

import dev.shardman.applier.metadata.ClusterLock;
import dev.shardman.applier.metadata.JournalEntry;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.metadata.Moves;
import dev.shardman.applier.metadata.StepStatus;
import dev.shardman.model.state.ClusterState;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one poll read in the shardlord: the cluster state (its nodes are the ones polled), the moves in flight (and how
 * long each has not changed), whether an apply or recover holds the cluster lock, and the last plan run of the journal. Read-only, as status reads it. {@code managed} is false for a shardlord without
 * the shardman schema (no cluster applied yet).
 */
public record ShardlordView(boolean managed, ClusterState state, int movesInFlight, Optional<LastApply> lastApply, List<Moves.Idle> idleMoves,
                            boolean locked) {
    /** The last plan run: whether it ended without a failed step, and when it ended (or started, while it runs). */
    public record LastApply(boolean succeeded, Instant time) {
        public LastApply {
            requireNonNull(time, "time is null");
        }
    }

    public ShardlordView {
        requireNonNull(state, "state is null");
        requireNonNull(lastApply, "lastApply is null");
        idleMoves = List.copyOf(idleMoves);
    }

    static ShardlordView read(Connection connection) {
        Optional<MetadataStore> store = MetadataStore.openReadOnly(connection);
        if (store.isEmpty()) {
            return new ShardlordView(false, ClusterState.empty(), 0, Optional.empty(), List.of(), false);
        }
        return new ShardlordView(true, store.get().readState(), store.get().moves().inFlight().size(), lastApply(store.get().journal().lastRun()),
                store.get().moves().idleness(), ClusterLock.currentHolder(connection).isPresent());
    }


    private static Optional<LastApply> lastApply(List<JournalEntry> run) {
        if (run.isEmpty()) {
            return Optional.empty();
        }
        boolean failed = run.stream().anyMatch(entry -> entry.status() == StepStatus.FAILED);
        JournalEntry last = run.get(run.size() - 1);
        return Optional.of(new LastApply(!failed, last.finishedAt().orElse(last.startedAt())));
    }
}
