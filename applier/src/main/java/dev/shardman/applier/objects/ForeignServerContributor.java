package dev.shardman.applier.objects;

import dev.shardman.model.conninfo.Conninfo;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The extension, one foreign server per live peer and a user mapping for CURRENT_USER on each, plus
 * one FOR PUBLIC when the peer has a non-superuser {@code conninfo} (so that any local role, e.g. an
 * application's, reaches the peer as that conninfo's user; superusers keep their own mapping).
 * Host, port, dbname and the remote user come from the peer's non-superuser {@code conninfo} when
 * given, else from its {@code super_conninfo}; the mapping has a password when that conninfo has one
 * (usually a {@code ${env:NAME}} reference, resolved only when the SQL runs).
 */
final class ForeignServerContributor implements ObjectContributor {
    @Override
    public void contribute(ClusterState state, NodeState node, Consumer<NodeObject> objects) {
        objects.accept(new PostgresFdwExtension());
        for (NodeState peer : state.nodes()) {
            if (peer.lost() || peer.name().equals(node.name())) {
                continue;
            }
            Conninfo conninfo = fdwConninfo(peer);
            ForeignServer server = ForeignServer.forPeer(peer.id(), conninfo.host(), conninfo.portText(),
                    conninfo.dbname().orElse("postgres"));
            objects.accept(server);
            objects.accept(new UserMapping(server.name(), UserMapping.CURRENT_USER, conninfo.user(), conninfo.password().isPresent()));
            if (peer.conninfo().isPresent()) {
                objects.accept(new UserMapping(server.name(), UserMapping.PUBLIC, conninfo.user(), conninfo.password().isPresent()));
            }
        }
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

    /** The conninfo that foreign servers and user mappings for {@code peer} use. */
    static Conninfo fdwConninfo(NodeState peer) {
        return Conninfo.parse(peer.conninfo().orElse(peer.superConninfo()));
    }
}
