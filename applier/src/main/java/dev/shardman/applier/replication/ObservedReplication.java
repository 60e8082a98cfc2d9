package dev.shardman.applier.replication;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What one node has of shardman's logical replication ({@code shardman_%} names only): publications
 * with their tables, subscriptions of this database with the sync state of each table, and slots.
 * No conninfo password is ever kept: only the host, port and dbname of a subscription.
 */
public record ObservedReplication(String node, Map<String, Publication> publications, Map<String, Subscription> subscriptions,
                                  Map<String, Slot> slots) {
    public ObservedReplication {
        requireNonNull(node, "node is null");
        publications = Map.copyOf(publications);
        subscriptions = Map.copyOf(subscriptions);
        slots = Map.copyOf(slots);
    }

    public record Publication(String name, Set<QualifiedTable> tables) {
        public Publication {
            requireNonNull(name, "name is null");
            tables = Set.copyOf(tables);
        }
    }

    /** {@code tableStates}: pg_subscription_rel.srsubstate per table ({@code r} = ready); {@code synchronousCommit}: its option. */
    public record Subscription(String name, boolean enabled, String host, String port, String dbname, List<String> publications,
                               Optional<String> slot, Map<QualifiedTable, String> tableStates, String synchronousCommit) {
        public Subscription {
            requireNonNull(name, "name is null");
            requireNonNull(synchronousCommit, "synchronousCommit is null");
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
