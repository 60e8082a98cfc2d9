package dev.shardman.applier.failover;

import java.util.List;

/** What the monitor calls at each poll with the nodes it cannot reach (possibly none); one outcome per node, in order. */
public interface NodeDownResponder {
    List<FailoverOutcome> respond(List<UnreachableNode> unreachable);
}
