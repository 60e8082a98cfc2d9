package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveRunner;

import static java.util.Objects.requireNonNull;

/** What an {@link OwnFlowExecutor} may use: the move runner of this apply (metadata, connections, channels, listener). */
record StepServices(MoveRunner moves) {
    StepServices {
        requireNonNull(moves, "moves is null");
    }
}
