package dev.shardman.applier.objects;

import dev.shardman.model.conninfo.Conninfo;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.function.Consumer;

/**
 * The extension, one foreign server per live peer and a user mapping for CURRENT_USER on each.
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
        }
    }

    /** The conninfo that foreign servers and user mappings for {@code peer} use. */
    static Conninfo fdwConninfo(NodeState peer) {
        return Conninfo.parse(peer.conninfo().orElse(peer.superConninfo()));
    }
}
