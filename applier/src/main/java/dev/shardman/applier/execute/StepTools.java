package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.objects.NodeReconciler;
import dev.shardman.applier.objects.PasswordSource;
import dev.shardman.applier.replication.ChannelReconciler;
import dev.shardman.model.state.ClusterState;

import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** What an executor's {@link StepExecutor#copyData} may use: the command's node connections, the replication channels, a reconciler, progress lines. */
record StepTools(LiveNodes nodes, ChannelReconciler channels, ConninfoSecrets secrets, Consumer<String> progressLines) {
    StepTools {
        requireNonNull(progressLines, "progressLines is null");
        requireNonNull(nodes, "nodes is null");
        requireNonNull(channels, "channels is null");
        requireNonNull(secrets, "secrets is null");
    }

    /** A reconciler whose user mappings take their passwords from {@code state}'s nodes. */
    NodeReconciler reconciler(ClusterState state) {
        return NodeReconciler.create(PasswordSource.fromState(state, secrets));
    }
}
