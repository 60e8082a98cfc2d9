package dev.shardman.applier.execute;

import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.model.state.ClusterState;

/**
 * Whether a step's replication channel passes can change anything. A pass brings the nodes to the channels, standby
 * settings and fences of one state; when the step leaves all of those (and the nodes) as they were, the pass would only
 * repair drift, which the recovery at the start of every apply has just done, so the step skips its two passes (one
 * inspection of every node each, node after node).
 */
final class StepChannels {
    private StepChannels() {
    }

    /** True when {@code before} and {@code after} expect the same channels of the same nodes under the same settings. */
    static boolean unchanged(ClusterState before, ClusterState after) {
        return before.nodes().equals(after.nodes())
                && before.settings().syncReplication() == after.settings().syncReplication()
                && ExpectedChannels.of(before).equals(ExpectedChannels.of(after))
                && ExpectedChannels.fenced(before).equals(ExpectedChannels.fenced(after));
    }
}
