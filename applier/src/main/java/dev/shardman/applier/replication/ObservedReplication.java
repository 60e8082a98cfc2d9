package dev.shardman.applier.replication;

import dev.shardman.applier.objects.TableName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What one node has of shardman's logical replication ({@code shardman_%} names only): publications
 * with their tables, subscriptions of this database with the sync state of each table, and slots.
 * No conninfo password is ever kept: only the host, port and dbname of a subscription and a salted digest of its conninfo.
 */
public record ObservedReplication(String node, Map<String, Publication> publications, Map<String, Subscription> subscriptions,
                                  Map<String, Slot> slots) {
    public ObservedReplication {
        requireNonNull(node, "node is null");
        publications = Map.copyOf(publications);
        subscriptions = Map.copyOf(subscriptions);
        slots = Map.copyOf(slots);
    }

    public record Publication(String name, Set<TableName> tables) {
        public Publication {
            requireNonNull(name, "name is null");
            tables = Set.copyOf(tables);
        }
    }

    /**
     * {@code tableStates}: pg_subscription_rel.srsubstate per table ({@code r} = ready); {@code synchronousCommit}: its option;
     * {@code conninfoDigest}: the salted digest of its whole conninfo ({@link dev.shardman.applier.connect.SecretDigest}),
     * compared with the one the source's conninfo resolves to now, never printed.
     */
    public record Subscription(String name, boolean enabled, String host, String port, String dbname, List<String> publications,
                               Optional<String> slot, Map<TableName, String> tableStates, String synchronousCommit, String conninfoDigest) {
        public Subscription {
            requireNonNull(name, "name is null");
            requireNonNull(synchronousCommit, "synchronousCommit is null");
            requireNonNull(conninfoDigest, "conninfoDigest is null");
            publications = List.copyOf(publications);
            requireNonNull(slot, "slot is null");
            tableStates = Map.copyOf(tableStates);
        }
    }

    public record Slot(String name, boolean active, String database) {
        public Slot {
            requireNonNull(name, "name is null");
        }
    }
}
