package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConnectionFactory;
import dev.shardman.applier.objects.SharedData;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;
import dev.shardman.model.state.PartitionState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * report: status (nodes, tables, channels with lag, lock, last apply), drift-check's findings, and every copy of
 * every partition and shared table with the node it lives on and its size read live. Read-only, no lock. The three
 * come from three reads of the metadata; {@code notes} says so when the serial moved in between.
 *
 * @param copies ordered by table (metadata order), then partition, primary before replicas, then node
 * @param sizeFailures node → why its sizes are missing (a node status found unreachable is not asked again)
 */
public record ClusterReport(StatusReport status, DriftReport drift, List<Copy> copies, Map<String, String> sizeFailures, List<String> notes) {
    public static final String APPLICATION_NAME = "shardman-report";

    public ClusterReport {
        requireNonNull(status, "status is null");
        requireNonNull(drift, "drift is null");
        copies = List.copyOf(copies);
        sizeFailures = Map.copyOf(sizeFailures);
        notes = List.copyOf(notes);
    }

    public enum Role {
        PRIMARY, REPLICA, SHARED_MASTER, SHARED_COPY
    }

    /** One copy of a partition ({@code partition} present) or of a shared table, on {@code node}; no size when it was not read. */
    public record Copy(String table, OptionalInt partition, String relation, String node, Role role, Optional<Long> bytes) {
        public Copy {
            requireNonNull(table, "table is null");
            requireNonNull(partition, "partition is null");
            requireNonNull(relation, "relation is null");
            requireNonNull(node, "node is null");
            requireNonNull(role, "role is null");
            requireNonNull(bytes, "bytes is null");
        }
    }

    public static ClusterReport read(ConnectionFactory factory, ClusterSpec spec, Duration lockAgeThreshold) {
        StatusReport status = StatusReport.read(factory, spec.cluster(), spec.shardlord(), List.of());
        DriftReport drift = new DriftCheck(factory).check(spec, List.of(), lockAgeThreshold);
        ClusterState state = LiveMetadata.read(factory, spec.cluster(), spec.shardlord()).state();
        List<Located> located = locate(state);
        Set<String> answering = status.nodes().stream().filter(node -> node.reachable() && !node.lost())
                .map(StatusReport.Node::name).collect(Collectors.toSet());
        Map<NodeState, List<TableName>> wanted = new LinkedHashMap<>();
        for (Located copy : located) {
            state.node(copy.copy().node()).filter(node -> answering.contains(node.name()))
                    .ifPresent(node -> wanted.computeIfAbsent(node, key -> new ArrayList<>()).add(copy.name()));
        }
        Map<String, PartitionSizes.NodeSizes> sizes = new PartitionSizes(factory).read(wanted);
        List<Copy> copies = located.stream().map(copy -> copy.withBytes(Optional.ofNullable(sizes.get(copy.copy().node()))
                .flatMap(node -> Optional.ofNullable(node.bytes().get(copy.name()))))).toList();
        Map<String, String> failures = new TreeMap<>();
        sizes.forEach((node, answer) -> {
            if (!answer.read()) {
                failures.put(node, answer.failure());
            }
        });
        return new ClusterReport(status, drift, copies, failures, notes(status.serial(), drift.serial(), state.serial()));
    }

    private static List<String> notes(long statusSerial, long driftSerial, long placementSerial) {
        if (statusSerial == driftSerial && driftSerial == placementSerial) {
            return List.of();
        }
        return List.of("the metadata changed while this report was read (serial " + statusSerial + ", then " + driftSerial + ", then "
                + placementSerial + "): its parts may disagree; run report again");
    }

    /** A copy without its size yet, and the relation whose size it has on its node. */
    private record Located(Copy copy, TableName name) {
        Copy withBytes(Optional<Long> bytes) {
            return new Copy(copy.table(), copy.partition(), copy.relation(), copy.node(), copy.role(), bytes);
        }
    }

    private static List<Located> locate(ClusterState state) {
        List<Located> located = new ArrayList<>();
        for (TableState table : state.tables()) {
            if (!table.isSharded()) {
                located.addAll(sharedCopies(state, table));
                continue;
            }
            state.partitions().stream().filter(partition -> partition.table().equals(table.name()))
                    .sorted(Comparator.comparingInt(PartitionState::index))
                    .forEach(partition -> located.addAll(partitionCopies(state, table, partition)));
        }
        return located;
    }

    private static List<Located> partitionCopies(ClusterState state, TableState table, PartitionState partition) {
        TableName name = new TableName(table.schema(), partition.name());
        OptionalInt index = OptionalInt.of(partition.index());
        List<Located> copies = new ArrayList<>();
        copies.add(new Located(new Copy(table.name(), index, partition.name(), partition.node(), Role.PRIMARY, Optional.empty()), name));
        state.replicas().stream().filter(replica -> replica.partition().equals(partition.name())).map(ReplicaState::node).sorted()
                .forEach(node -> copies.add(new Located(new Copy(table.name(), index, partition.name(), node, Role.REPLICA, Optional.empty()), name)));
        return copies;
    }

    /** The master's rows and a copy on every other live node, all in {@link SharedData}'s table. */
    private static List<Located> sharedCopies(ClusterState state, TableState table) {
        TableName name = SharedData.nameFor(table.name());
        return state.nodes().stream().filter(node -> !node.lost()).map(NodeState::name).sorted()
                .sorted(Comparator.comparing(node -> !table.master().equals(Optional.of(node))))
                .map(node -> new Located(new Copy(table.name(), OptionalInt.empty(), table.name(), node,
                        table.master().equals(Optional.of(node)) ? Role.SHARED_MASTER : Role.SHARED_COPY, Optional.empty()), name))
                .toList();
    }
}
