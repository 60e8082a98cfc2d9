package dev.shardman.applier.objects;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.applier.connect.SecretDigest;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The expected FDW objects of a node as they must be on the server: foreign servers with the peers'
 * {@code ${env:NAME}} references resolved, user mappings with the salted digest of the password
 * their conninfo resolves to (so that a rotated password is a mismatch, see {@link UserMapping}).
 * Expected objects themselves stay a pure function of the metadata, which never holds a resolved value.
 */
final class ResolvedConnections {
    private ResolvedConnections() {
    }

    /** Throws naming the variable when a reference is not set in {@code secrets}. */
    static NodeObjects resolve(NodeObjects expected, ClusterState state, ConninfoSecrets secrets) {
        List<NodeObject> objects = new ArrayList<>();
        for (NodeObject object : expected.objects().values()) {
            if (object instanceof ForeignServer server) {
                objects.add(peer(state, server.name())
                        .map(peer -> ForeignServerContributor.server(expected.node(), peer,
                                secrets.resolve(ForeignServerContributor.fdwConninfo(peer))))
                        .orElse(server));
            } else if (object instanceof UserMapping mapping && mapping.hasPassword()) {
                objects.add(mapping.withPasswordDigest(peer(state, mapping.server())
                        .flatMap(peer -> secrets.resolve(ForeignServerContributor.fdwConninfo(peer)).password())
                        .map(SecretDigest::of)));
            } else {
                objects.add(object);
            }
        }
        return NodeObjects.of(expected.node(), objects, expected.serverNodes());
    }

    private static Optional<NodeState> peer(ClusterState state, String server) {
        return state.nodes().stream().filter(node -> ForeignServer.nameFor(node.id()).equals(server)).findFirst();
    }
}
