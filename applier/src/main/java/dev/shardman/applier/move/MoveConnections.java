package dev.shardman.applier.move;

import dev.shardman.model.state.NodeState;

import java.sql.Connection;

/**
 * The connections a move uses: {@link #shared} is the command's one connection per node (left in autocommit between
 * calls); {@link #open} is a new one that the caller closes (a second session on the source that watches the slot
 * while the first holds the cutover locks, the destination's snapshot of the copy).
 */
public interface MoveConnections {
    Connection shared(NodeState node);

    Connection open(NodeState node);
}
