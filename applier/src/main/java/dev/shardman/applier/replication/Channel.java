package dev.shardman.applier.replication;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.objects.TableName;
import dev.shardman.model.state.NodeState;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One replication channel: a publication on {@code source} carrying {@code tables} (qualified,
 * sorted) and the subscription on {@code destination} (its slot on the source and its
 * application_name have the subscription's name, unique per source). Replicas of sharded tables:
 * {@code shardman_pub_<destination id>} and {@code shardman_sub_<source id>_<destination id>};
 * shared tables: {@code shardman_shared_pub} on the master (one for all its shared tables) and
 * {@code shardman_shared_sub_<master id>_<destination id>}.
 */
public record Channel(NodeState source, NodeState destination, List<TableName> tables, String publication, String subscription,
                      boolean shared) {
    public static final String SHARED_PUBLICATION = "shardman_shared_pub";

    public Channel {
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
        tables = List.copyOf(tables);
        requireNonNull(publication, "publication is null");
        requireNonNull(subscription, "subscription is null");
    }

    static Channel forReplicas(NodeState source, NodeState destination, List<TableName> tables) {
        return new Channel(source, destination, tables, "shardman_pub_" + destination.id(),
                "shardman_sub_" + source.id() + "_" + destination.id(), false);
    }

    static Channel forSharedTables(NodeState master, NodeState destination, List<TableName> tables) {
        return new Channel(master, destination, tables, SHARED_PUBLICATION, "shardman_shared_sub_" + master.id() + "_" + destination.id(), true);
    }

    /**
     * The subscription's conninfo: the source's {@code super_conninfo} with its references resolved. It holds the
     * password: only for the CONNECTION clause (or a {@link dev.shardman.applier.connect.SecretDigest}), never printed.
     */
    public String subscriptionConninfo(ConninfoSecrets secrets) {
        return secrets.resolve(source.superConninfo()).toKeywordValueString();
    }

    /**
     * The slot a master change creates on the new master for this shared channel before its fence
     * ({@link SharedHandover}): advanced to the fence's position, then copied to the subscription's own slot, so that
     * the destination's copy goes on from the fence without being copied again.
     */
    public String handoverSlot() {
        return "shardman_handover_" + source.id() + "_" + destination.id();
    }

    Channel withTables(List<TableName> newTables) {
        return new Channel(source, destination, newTables, publication, subscription, shared);
    }

    public String describe() {
        return (shared ? "shared-table channel " : "replication channel ") + source.name() + " → " + destination.name();
    }
}
