package dev.shardman.planner;

import dev.shardman.model.spec.ClusterSpec;
import dev.shardman.model.state.ClusterSettings;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.ReplicaState;
import dev.shardman.model.state.TableState;
import dev.shardman.planner.diff.Membership;
import dev.shardman.planner.diff.NodeDiff;
import dev.shardman.planner.diff.Problems;
import dev.shardman.planner.diff.TableDiff;
import dev.shardman.planner.graph.EdgeRules;
import dev.shardman.planner.graph.PlanGraph;
import dev.shardman.planner.placement.PlacementPlanner;
import dev.shardman.planner.placement.PlacementResult;
import dev.shardman.planner.placement.Steering;
import dev.shardman.planner.placement.UnitPlacement;
import dev.shardman.planner.step.CreateReplicationChannel;
import dev.shardman.planner.step.CreateShardedTable;
import dev.shardman.planner.step.DropReplicationChannel;
import dev.shardman.planner.step.PartitionPlacement;
import dev.shardman.planner.step.Step;
import dev.shardman.planner.step.UpdateSettings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the plan that takes a cluster from its recorded state to the shape of the spec, without
 * touching any server. The same inputs always give the same plan (same steps, same order), and
 * planning again from {@link StateProjection#project(ClusterState, Plan)} gives an empty plan (one exception: balancing
 * by size where some node cannot reach its band, a later plan may find a move that a replica's move freed; the plans
 * converge, see docs/spec.md "Balancing by size").
 *
 * @see Plan
 */
public final class Planner {
    private Planner() {
    }

    /**
     * @throws dev.shardman.model.ShardmanException {@code INVALID_INPUT} when the spec asks for what
     *         cannot be done (all problems listed); {@link PlanRefusedException} ({@code REFUSED}) when
     *         steps need {@code --allow-destroy} or {@code --allow-data-loss} that the options do not give
     */
    public static Plan plan(ClusterSpec spec, ClusterState state, PlanOptions options) {
        Problems problems = new Problems();
        NodeDiff nodes = NodeDiff.diff(spec, state, nodesHoldingData(state), problems);
        Membership membership = nodes.membership();
        TableDiff tables = TableDiff.diff(spec, state, membership, problems);
        PlacementResult placement = PlacementPlanner.plan(state, membership, tables, Steering.of(spec), problems);
        problems.throwIfAny(spec.file());

        List<Step> steps = new ArrayList<>(nodes.steps());
        steps.addAll(tables.steps());
        steps.addAll(placement.steps());
        steps.addAll(createShardedTables(tables, placement, membership));
        steps.addAll(replicationChannels(state, placement, membership));
        settingsChange(spec, state).ifPresent(steps::add);
        refuseWhatIsNotAllowed(steps, options);
        List<String> warnings = new ArrayList<>(nodes.warnings());
        warnings.addAll(placement.warnings());
        return new Plan(new PlanHeader(spec.cluster(), state.lineage(), state.serial()), PlanGraph.order(steps, EdgeRules.all()), warnings);
    }

    /** The recorded settings follow the spec's: a change is a step of its own, so the plan shows it and apply records it. */
    private static Optional<Step> settingsChange(ClusterSpec spec, ClusterState state) {
        ClusterSettings wanted = ClusterSettings.of(spec.settings());
        return wanted.equals(state.settings()) ? Optional.empty() : Optional.of(new UpdateSettings(state.settings(), wanted));
    }

    private static Set<String> nodesHoldingData(ClusterState state) {
        Set<String> nodes = new HashSet<>();
        state.partitions().forEach(partition -> nodes.add(partition.node()));
        state.replicas().forEach(replica -> nodes.add(replica.node()));
        return nodes;
    }

    private static List<Step> createShardedTables(TableDiff tables, PlacementResult placement, Membership membership) {
        List<Step> steps = new ArrayList<>();
        for (TableState table : tables.newSharded()) {
            List<UnitPlacement> units = placement.finalPlacement().get(tables.rootOf(table.name()));
            List<PartitionPlacement> placements = new ArrayList<>(table.partitions());
            for (int index = 0; index < table.partitions(); index++) {
                UnitPlacement unit = units.get(index);
                placements.add(new PartitionPlacement(index, unit.primary(), unit.replicas()));
            }
            steps.add(new CreateShardedTable(table, placements, membership.finalLiveNodes()));
        }
        return steps;
    }

    /** Publication/subscription pairs: created where the final placement needs one that does not exist, dropped where none is needed any more. */
    private static List<Step> replicationChannels(ClusterState state, PlacementResult placement, Membership membership) {
        Map<String, String> holders = new HashMap<>(state.partitions().size() * 4 / 3 + 1);
        state.partitions().forEach(partition -> holders.put(partition.name(), partition.node()));
        Set<Channel> before = new HashSet<>();
        for (ReplicaState replica : state.replicas()) {
            before.add(new Channel(holders.get(replica.partition()), replica.node()));
        }
        Set<Channel> after = new HashSet<>();
        placement.finalPlacement().values().forEach(units -> units.forEach(unit -> unit.replicas().forEach(replica -> after.add(new Channel(unit.primary(), replica)))));
        List<Step> steps = new ArrayList<>();
        for (Channel channel : sortedDifference(after, before)) {
            steps.add(new CreateReplicationChannel(membership.groupOf().get(channel.source()), channel.source(), channel.destination()));
        }
        for (Channel channel : sortedDifference(before, after)) {
            steps.add(new DropReplicationChannel(membership.groupOf().get(channel.source()), channel.source(), channel.destination()));
        }
        return steps;
    }

    /** A primary's node and a replica's node: hashed, not sorted, since a large state holds hundreds of thousands of replicas. */
    private record Channel(String source, String destination) {
    }

    private static List<Channel> sortedDifference(Set<Channel> these, Set<Channel> butNot) {
        return these.stream().filter(channel -> !butNot.contains(channel))
                .sorted(Comparator.comparing(Channel::source).thenComparing(Channel::destination)).toList();
    }

    private static void refuseWhatIsNotAllowed(List<Step> steps, PlanOptions options) {
        List<PlanRefusedException.RefusedStep> refused = new ArrayList<>();
        for (Step step : steps) {
            step.requiredPermission().ifPresent(permission -> {
                boolean allowed = switch (permission) {
                    case ALLOW_DESTROY -> options.allowDestroy();
                    case ALLOW_DATA_LOSS -> options.allowDataLoss();
                };
                if (!allowed) {
                    refused.add(new PlanRefusedException.RefusedStep(step.id(), step.describe(), permission));
                }
            });
        }
        if (!refused.isEmpty()) {
            refused.sort((left, right) -> left.id().compareTo(right.id()));
            throw new PlanRefusedException(refused);
        }
    }
}
