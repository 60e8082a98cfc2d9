package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveRunner;

import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * What steps with their own flow or a data copy may use: the move runner of this apply (metadata, connections,
 * channels, listener), where the progress lines of a long wait go (the listener's progress), and how failover steps wait for client locks.
 */
record StepServices(MoveRunner moves, Consumer<String> progressLines, LockWaitRetry lockWaits) {
    StepServices {
        requireNonNull(moves, "moves is null");
        requireNonNull(progressLines, "progressLines is null");
        requireNonNull(lockWaits, "lockWaits is null");
    }

    /** Failover steps that never terminate the sessions blocking them. */
    StepServices(MoveRunner moves, Consumer<String> progressLines) {
        this(moves, progressLines, new LockWaitRetry(ClientBlockers.WAITED_FOR, progressLines));
    }
}
