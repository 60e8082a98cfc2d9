package dev.shardman.applier.objects;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A postgres_fdw foreign server {@code shardman_node_<id>} pointing at a peer node, with all of its
 * options (sorted by name): host, port, dbname, the fixed ones, the peer conninfo's security keys
 * (sslmode, sslrootcert, ...) and the origin's application_name. Servers never carry passwords: those live in user mappings.
 */
public record ForeignServer(String name, SortedMap<String, String> options) implements NodeObject {
    public static final String NAME_PREFIX = "shardman_node_";
    /** A Unix-socket directory that does not exist: a connection through a fenced server fails at once, naming it. */
    public static final String FENCED_HOST = "/nonexistent/shardman-node-lost";
    /** The options every shardman server has besides host, port and dbname (see DESIGN.md). */
    public static final Map<String, String> FIXED_OPTIONS = Map.of(
            "async_capable", "true",
            "fetch_size", "10000",
            "batch_size", "1000",
            "truncatable", "false");

    /**
     * The prefix of the {@code application_name} option: a remote backend that a node's postgres_fdw opens names its
     * origin as {@code shardman-fdw:<origin node>:<origin pid>} ({@code %p}, expanded by postgres_fdw on PG 15+), so
     * that the monitor can join a backend waiting on a remote result to the backends it drives (global deadlocks).
     */
    public static final String APPLICATION_NAME_PREFIX = "shardman-fdw:";

    public ForeignServer {
        requireNonNull(name, "name is null");
        options = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(options, "options is null")));
    }

    /** The server for the peer node with this id: {@code shardman_node_<id>}. */
    public static String nameFor(long nodeId) {
        return NAME_PREFIX + nodeId;
    }

    /** The {@code application_name} option of the servers on {@code originNode}: its name and the local backend's pid. */
    public static String applicationNameFor(String originNode) {
        return APPLICATION_NAME_PREFIX + originNode + ":%p";
    }

    public static ForeignServer forPeer(long nodeId, String host, String port, String dbname) {
        return forPeer(nodeId, host, port, dbname, Map.of());
    }

    /** With {@code extra} options besides (security keys, application_name: see ForeignServerContributor). */
    public static ForeignServer forPeer(long nodeId, String host, String port, String dbname, Map<String, String> extra) {
        TreeMap<String, String> options = new TreeMap<>(FIXED_OPTIONS);
        options.putAll(extra);
        options.put("host", host);
        options.put("port", port);
        options.put("dbname", dbname);
        return new ForeignServer(nameFor(nodeId), options);
    }

    /**
     * The server of a lost node whose partitions have not failed over yet, on the survivors: its foreign partitions stay
     * attached to it, and every read or write of their keys fails (no socket at {@link #FENCED_HOST}) instead of
     * finding no partition, until each partition's promotion repoints its foreign table; no session reaches the lost
     * server any more (docs/internals/objects-and-reconcile.md, "Fencing a lost node").
     */
    public static ForeignServer fenced(long nodeId) {
        return forPeer(nodeId, FENCED_HOST, "5432", "postgres");
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.FOREIGN_SERVER, name);
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitForeignServer(this);
    }

    @Override
    public String describe() {
        return "foreign server " + name + " (" + options.get("host") + ":" + options.get("port") + "/" + options.get("dbname") + ")";
    }
}
