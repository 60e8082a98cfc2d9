package dev.shardman.applier.exec;

import dev.shardman.applier.connect.ConnectionTarget;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The targets of an exec: the cluster's nodes (those of the metadata, lost ones and those the spec marks lost left out),
 * by name, narrowed to {@code --nodes}; then the shardlord when asked. A node the spec names but apply has not registered
 * yet is not a target: it has none of the cluster's objects.
 */
final class ExecTargets {
    private ExecTargets() {
    }

    static List<ExecTarget> select(ClusterState state, ClusterSpec spec, ExecRequest request) {
        Set<String> markedLost = spec.nodes().stream().filter(NodeSpec::lost).map(NodeSpec::name).collect(Collectors.toSet());
        List<NodeState> live = state.nodes().stream().filter(node -> !node.lost() && !markedLost.contains(node.name()))
                .sorted(Comparator.comparing(NodeState::name)).toList();
        Set<String> liveNames = live.stream().map(NodeState::name).collect(Collectors.toCollection(TreeSet::new));
        List<String> unknown = request.nodes().stream().filter(name -> !liveNames.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "--nodes names " + String.join(", ", unknown)
                    + ", not a live node of the cluster; nothing was run", "the live nodes are: " + String.join(", ", liveNames));
        }
        List<ExecTarget> targets = new ArrayList<>();
        live.stream().filter(node -> request.nodes().isEmpty() || request.nodes().contains(node.name()))
                .forEach(node -> targets.add(new ExecTarget(node.name(), ConnectionTarget.node(node.name(), node.superConninfo()),
                        Long.toString(node.id()))));
        if (request.includeShardlord()) {
            targets.add(new ExecTarget(ExecTarget.SHARDLORD, ConnectionTarget.shardlord(spec.shardlord()), ExecTarget.SHARDLORD));
        }
        if (targets.isEmpty()) {
            throw new ShardmanException(ErrorCode.INVALID_INPUT, "the cluster has no live node to run on; nothing was run",
                    "run apply first, or use --include-shardlord");
        }
        return List.copyOf(targets);
    }
}
