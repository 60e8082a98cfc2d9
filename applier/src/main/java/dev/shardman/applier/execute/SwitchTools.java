package dev.shardman.applier.execute;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.metadata.MetadataStore;
import dev.shardman.applier.replication.ChannelReconciler;

import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** What a {@link SwitchExecutor} uses: the metadata, the command's node connections, the channels, the fault points, progress lines. */
record SwitchTools(MetadataStore store, LiveNodes nodes, ChannelReconciler channels, ConninfoSecrets secrets, FaultHook faults,
                   String planId, Consumer<String> progressLines) {
    SwitchTools {
        requireNonNull(store, "store is null");
        requireNonNull(nodes, "nodes is null");
        requireNonNull(channels, "channels is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(faults, "faults is null");
        requireNonNull(planId, "planId is null");
        requireNonNull(progressLines, "progressLines is null");
    }
}
