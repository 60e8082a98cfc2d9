package dev.shardman.applier.objects;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The objects of one node, sorted by key (dependency order). {@code serverNodes} maps foreign server
 * names to node names, for reports only ({@code shardman_node_3 (w3)}); observed objects have none.
 */
public record NodeObjects(String node, SortedMap<ObjectKey, NodeObject> objects, Map<String, String> serverNodes) {
    public NodeObjects {
        requireNonNull(node, "node is null");
        objects = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(objects, "objects is null")));
        serverNodes = Map.copyOf(requireNonNull(serverNodes, "serverNodes is null"));
    }

    public static NodeObjects of(String node, Collection<? extends NodeObject> objects, Map<String, String> serverNodes) {
        TreeMap<ObjectKey, NodeObject> byKey = new TreeMap<>();
        for (NodeObject object : objects) {
            NodeObject previous = byKey.put(object.key(), object);
            if (previous != null && !previous.equals(object)) {
                throw new IllegalArgumentException("two objects with key " + object.key() + " on " + node);
            }
        }
        return new NodeObjects(node, byKey, serverNodes);
    }

    public static NodeObjects empty(String node) {
        return new NodeObjects(node, new TreeMap<>(), Map.of());
    }

    public Optional<NodeObject> get(ObjectKey key) {
        return Optional.ofNullable(objects.get(key));
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }

    public int size() {
        return objects.size();
    }

    /** These objects without those of {@code tables}: each table itself, its primary key, indexes and grants. */
    public NodeObjects withoutTables(Set<TableName> tables) {
        if (tables.isEmpty()) {
            return this; // the usual case: no move in flight, no copy of a thousand objects
        }
        TreeMap<ObjectKey, NodeObject> kept = new TreeMap<>(objects);
        kept.values().removeIf(object -> tableOf(object).filter(tables::contains).isPresent());
        return new NodeObjects(node, kept, serverNodes);
    }

    /** The objects of {@code tables} only (tables, keys, indexes, grants), in key order. */
    public List<NodeObject> ofTables(Set<TableName> tables) {
        return objects.values().stream().filter(object -> tableOf(object).filter(tables::contains).isPresent()).toList();
    }

    /** The relation an object is or belongs to; empty for extensions, servers and user mappings. */
    static Optional<TableName> tableOf(NodeObject object) {
        if (object instanceof LocalPartition partition) {
            return Optional.of(partition.table());
        } else if (object instanceof ForeignPartition partition) {
            return Optional.of(partition.table());
        } else if (object instanceof ReplicaTable replica) {
            return Optional.of(replica.table());
        } else if (object instanceof PrimaryKey key) {
            return Optional.of(key.table());
        } else if (object instanceof PartitionIndex index) {
            return Optional.of(index.table());
        } else if (object instanceof PartitionGrant grant) {
            return Optional.of(grant.table());
        } else if (object instanceof ParentTable parent) {
            return Optional.of(parent.table());
        }
        return Optional.empty();
    }

    /** {@code shardman_node_3 (w3)} when the node is known, else the server name. */
    public String serverLabel(String server) {
        String nodeName = serverNodes.get(server);
        return nodeName == null ? server : server + " (" + nodeName + ")";
    }
}
