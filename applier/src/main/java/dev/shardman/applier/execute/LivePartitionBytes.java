package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.spec.NodeSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionBytes;
import dev.shardman.model.state.PartitionState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The partition sizes a plan that balances by size needs ({@code settings.balance.by: size}), read once per plan from
 * the nodes with {@link PartitionSizes} (all nodes in parallel, each bounded by the connect and read timeouts). Each
 * partition is read where its primary is, or, when the spec marks that node lost, on its first replica that is not;
 * a partition with no such copy is re-created empty by the plan, so it weighs 0. A node that does not answer, or a
 * partition missing on its node, stops the plan with a message naming them: a plan from partial sizes would be a
 * wrong plan. For a spec that balances counts nothing is read ({@link PartitionBytes#UNKNOWN}).
 */
public final class LivePartitionBytes {
    private LivePartitionBytes() {
    }

    /** {@code state} with the sizes the spec's balance needs (unchanged when it balances counts). */
    public static ClusterState attach(ConnectionFactory factory, ClusterSpec spec, ClusterState state) {
        if (!spec.settings().balance().bySize() || state.partitions().isEmpty()) {
            return spec.settings().balance().bySize() ? state.withPartitionBytes(PartitionBytes.of(Map.of())) : state;
        }
        return state.withPartitionBytes(read(factory, spec, state));
    }

    private static PartitionBytes read(ConnectionFactory factory, ClusterSpec spec, ClusterState state) {
        Set<String> lost = spec.nodes().stream().filter(NodeSpec::lost).map(NodeSpec::name).collect(Collectors.toCollection(HashSet::new));
        state.nodes().stream().filter(NodeState::lost).forEach(node -> lost.add(node.name()));
        Map<String, NodeState> nodes = new HashMap<>();
        state.nodes().forEach(node -> nodes.put(node.name(), node));
        Map<String, String> schemas = new HashMap<>();
        state.tables().forEach(table -> schemas.put(table.name(), table.schema()));
        Map<String, Long> bytes = new LinkedHashMap<>();
        Map<NodeState, List<TableName>> wanted = new LinkedHashMap<>();
        Map<TableName, String> readOn = new HashMap<>();
        for (PartitionState partition : state.partitions()) {
            Optional<String> holder = readableCopy(state, partition, lost);
            if (holder.isEmpty()) {
                bytes.put(partition.name(), 0L);
                continue;
            }
            TableName name = new TableName(schemas.get(partition.table()), partition.name());
            wanted.computeIfAbsent(nodes.get(holder.get()), key -> new ArrayList<>()).add(name);
            readOn.put(name, holder.get());
        }
        Map<String, PartitionSizes.NodeSizes> answers = new PartitionSizes(factory).read(wanted);
        answers.forEach((node, answer) -> {
            if (!answer.read()) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "cannot read the partition sizes on " + node + ": " + answer.failure(),
                        "settings.balance.by is size, so the plan needs every partition's size; fix the connection to " + node
                                + ", mark it lost in the spec, or balance by count, then run the command again");
            }
        });
        readOn.forEach((name, node) -> {
            Long size = answers.get(node).bytes().get(name);
            if (size == null) {
                throw new ShardmanException(ErrorCode.NODE_FAILURE, "partition " + name.name() + " is missing on " + node + ", so its size is unknown",
                        "run drift-check and recover, then run the command again");
            }
            bytes.put(name.name(), size);
        });
        return PartitionBytes.of(bytes);
    }

    /** Where a partition's size can be read: its primary's node unless lost, else its first replica's that is not lost. */
    private static Optional<String> readableCopy(ClusterState state, PartitionState partition, Set<String> lost) {
        if (!lost.contains(partition.node())) {
            return Optional.of(partition.node());
        }
        return state.replicaNodesOf(partition.name()).stream().filter(node -> !lost.contains(node)).findFirst();
    }
}
