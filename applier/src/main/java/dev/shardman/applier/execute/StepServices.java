package dev.shardman.applier.execute;

import dev.shardman.applier.move.MoveRunner;

import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * What steps with their own flow or a data copy may use: the move runner of this apply (metadata, connections,
 * channels, listener), and where the progress lines of a long wait go (the listener's progress).
 */
record StepServices(MoveRunner moves, Consumer<String> progressLines) {
    StepServices {
        requireNonNull(moves, "moves is null");
        requireNonNull(progressLines, "progressLines is null");
    }
}
