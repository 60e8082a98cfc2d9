package dev.shardman.applier.objects;

import dev.shardman.model.conninfo.Conninfo;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The extension, one foreign server per live peer (and a fenced one per lost peer that still holds primaries:
 * {@link ForeignServer#fenced}) and a user mapping for CURRENT_USER on each, plus
 * one FOR PUBLIC when the peer has a non-superuser {@code conninfo} (so that any local role, e.g. an
 * application's, reaches the peer as that conninfo's user; superusers keep their own mapping).
 * Host, port, dbname, the libpq security keys ({@link #SECURITY_KEYWORDS}) and the remote user come
 * from the peer's non-superuser {@code conninfo} when given, else from its {@code super_conninfo}; the
 * mapping has a password when that conninfo has one. Values are as written (they may hold
 * {@code ${env:NAME}} references): {@link PasswordSource#resolve} resolves them before any comparison
 * or SQL, so that the metadata never holds a resolved value.
 */
final class ForeignServerContributor implements ObjectContributor {
    /**
     * The libpq keywords of a peer's conninfo that its foreign server carries besides host, port and dbname: TLS,
     * GSS and authentication settings, so that FDW traffic is protected as the spec asks (postgres_fdw accepts them
     * as server options; the user and the password go to the user mapping).
     */
    static final List<String> SECURITY_KEYWORDS = List.of("sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslcrldir",
            "sslsni", "sslcompression", "sslnegotiation", "sslcertmode", "ssl_min_protocol_version", "ssl_max_protocol_version",
            "channel_binding", "require_auth", "requirepeer", "gssencmode", "gsslib", "krbsrvname", "gssdelegation");

    @Override
    public void contribute(ClusterState state, NodeState node, Consumer<NodeObject> objects) {
        objects.accept(new PostgresFdwExtension());
        for (NodeState peer : state.nodes()) {
            if (peer.lost() && !peer.name().equals(node.name()) && holdsPrimaries(state, peer)) {
                ForeignServer fenced = ForeignServer.fenced(peer.id());
                objects.accept(fenced);
                objects.accept(new UserMapping(fenced.name(), UserMapping.CURRENT_USER, Optional.empty(), false));
                objects.accept(new UserMapping(fenced.name(), UserMapping.PUBLIC, Optional.empty(), false));
            }
            if (peer.lost() || peer.name().equals(node.name())) {
                continue;
            }
            Conninfo conninfo = fdwConninfo(peer);
            ForeignServer server = server(node.name(), peer, conninfo);
            objects.accept(server);
            objects.accept(new UserMapping(server.name(), UserMapping.CURRENT_USER, conninfo.user(), conninfo.password().isPresent()));
            if (peer.conninfo().isPresent()) {
                objects.accept(new UserMapping(server.name(), UserMapping.PUBLIC, conninfo.user(), conninfo.password().isPresent()));
            }
        }
    }

    /** Whether {@code node} still holds a primary: lost, its partitions are waiting for their failover (or re-creation). */
    static boolean holdsPrimaries(ClusterState state, NodeState node) {
        return state.partitions().stream().anyMatch(partition -> partition.node().equals(node.name()));
    }

    /**
     * The role that peers' mappings for {@code holder} connect as, when it is a role of its own: the user of the
     * holder's non-superuser {@code conninfo}, if given and not the user of its {@code super_conninfo}.
     */
    static Optional<String> applicationRole(NodeState holder) {
        if (holder.conninfo().isEmpty()) {
            return Optional.empty();
        }
        Optional<String> superUser = Conninfo.parse(holder.superConninfo()).user();
        return Conninfo.parse(holder.conninfo().get()).user().filter(user -> !Optional.of(user).equals(superUser));
    }

    /**
     * The foreign server on {@code originNode} for {@code peer} reached through {@code conninfo} (resolved or not); its
     * {@code application_name} names the origin ({@link ForeignServer#applicationNameFor}).
     */
    static ForeignServer server(String originNode, NodeState peer, Conninfo conninfo) {
        Map<String, String> options = new TreeMap<>();
        SECURITY_KEYWORDS.forEach(keyword -> conninfo.value(keyword).ifPresent(value -> options.put(keyword, value)));
        options.put("application_name", ForeignServer.applicationNameFor(originNode));
        return ForeignServer.forPeer(peer.id(), conninfo.host(), conninfo.portText(), conninfo.dbname().orElse("postgres"), options);
    }

    /** The conninfo that foreign servers and user mappings for {@code peer} use. */
    static Conninfo fdwConninfo(NodeState peer) {
        return Conninfo.parse(peer.conninfo().orElse(peer.superConninfo()));
    }
}
