package dev.shardman.applier.objects;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
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

    /** {@code shardman_node_3 (w3)} when the node is known, else the server name. */
    public String serverLabel(String server) {
        String nodeName = serverNodes.get(server);
        return nodeName == null ? server : server + " (" + nodeName + ")";
    }
}
