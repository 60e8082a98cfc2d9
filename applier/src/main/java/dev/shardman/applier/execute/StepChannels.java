package dev.shardman.applier.execute;

import dev.shardman.applier.replication.ExpectedChannels;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a step's replication channel passes can change anything. A pass brings the nodes to the channels, standby
 * settings and fences of one state; when the step leaves all of those (and the nodes) as they were, the pass would only
 * repair drift, which the recovery at the start of every apply has just done, so the step skips its two passes (one
 * inspection of every node each, node after node); when only the nodes change, the passes visit just those nodes.
 */
final class StepChannels {
    private StepChannels() {
    }

    /** True when {@code before} and {@code after} expect the same channels of the same nodes under the same settings. */
    static boolean unchanged(ClusterState before, ClusterState after) {
        return before.nodes().equals(after.nodes()) && sameChannels(before, after);
    }

    /**
     * When the two states expect the same channels under the same settings and differ only in their nodes (one
     * registered, removed or re-identified): those nodes, the only ones a pass can change anything on (a node new to
     * the cluster may hold channels of an earlier life; recovery, run before, never looked at it). Empty otherwise.
     */
    static Optional<List<NodeState>> onlyNodesDiffer(ClusterState before, ClusterState after) {
        if (before.nodes().equals(after.nodes()) || !sameChannels(before, after)) {
            return Optional.empty();
        }
        List<NodeState> differ = new ArrayList<>(after.nodes().stream().filter(node -> !before.nodes().contains(node)).toList());
        before.nodes().stream().filter(node -> !after.nodes().contains(node))
                .filter(gone -> differ.stream().noneMatch(node -> node.name().equals(gone.name()))).forEach(differ::add);
        return Optional.of(List.copyOf(differ));
    }

    /** True when the two states expect the same channels under the same settings, whatever nodes they have besides. */
    static boolean sameChannels(ClusterState before, ClusterState after) {
        return before.settings().syncReplication() == after.settings().syncReplication()
                && ExpectedChannels.of(before).equals(ExpectedChannels.of(after))
                && ExpectedChannels.fenced(before).equals(ExpectedChannels.fenced(after));
    }
}
