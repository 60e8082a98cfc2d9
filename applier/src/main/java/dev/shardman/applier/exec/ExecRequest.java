package dev.shardman.applier.exec;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@code shardman exec} is asked to do.
 *
 * @param nodes the node names to run on; empty means every node of the cluster that is not lost
 * @param twoPhase one two-phase commit over all the targets: applied everywhere or nowhere
 * @param includeShardlord run it in the shardlord's database too
 */
public record ExecRequest(ExecStatement statement, List<String> nodes, boolean twoPhase, boolean includeShardlord) {
    public ExecRequest {
        requireNonNull(statement, "statement is null");
        nodes = List.copyOf(nodes);
    }
}
