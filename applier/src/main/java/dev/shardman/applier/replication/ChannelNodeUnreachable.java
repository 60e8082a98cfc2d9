package dev.shardman.applier.replication;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import static java.util.Objects.requireNonNull;

/** A node that the replication phase could not reach (NODE_FAILURE); {@link #node()} names it for "failed on <node>". */
public final class ChannelNodeUnreachable extends ShardmanException {
    private final String node;

    ChannelNodeUnreachable(String node, RuntimeException cause) {
        super(cause instanceof ShardmanException known ? known.code() : ErrorCode.NODE_FAILURE,
                cause instanceof ShardmanException known ? known.summary() : "cannot reach node " + node + ": " + cause.getMessage(),
                cause instanceof ShardmanException known ? known.detail() : "fix the node and run again", cause);
        this.node = requireNonNull(node, "node is null");
    }

    public String node() {
        return node;
    }
}
