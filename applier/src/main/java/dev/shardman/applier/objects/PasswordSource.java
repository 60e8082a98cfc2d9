package dev.shardman.applier.objects;

import dev.shardman.applier.connect.ConninfoSecrets;
import dev.shardman.model.conninfo.Conninfo;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.Optional;

/**
 * The password a user mapping on a shardman foreign server must carry, resolved at run time (from
 * the environment), and the other connection values resolved the same way. Its result goes only into
 * the executed text of a {@link SqlStatement}, or into a salted digest that is compared only.
 */
@FunctionalInterface
public interface PasswordSource {
    /** The password for {@code mapping}, if its conninfo has one. */
    Optional<String> passwordFor(UserMapping mapping);

    /**
     * {@code expected} as it must be on the server: references resolved and password digests attached
     * ({@link ResolvedConnections}); as is by default (no environment: nothing to resolve, passwords not compared).
     */
    default NodeObjects resolve(NodeObjects expected) {
        return expected;
    }

    /** No passwords (trust or .pgpass on the peers). */
    static PasswordSource none() {
        return mapping -> Optional.empty();
    }

    /**
     * Passwords of the peers' FDW conninfo ({@code conninfo}, else {@code super_conninfo}) in
     * {@code state}, with {@code ${env:NAME}} references resolved with {@code secrets}.
     */
    static PasswordSource fromState(ClusterState state, ConninfoSecrets secrets) {
        return new PasswordSource() {
            @Override
            public Optional<String> passwordFor(UserMapping mapping) {
                return state.nodes().stream()
                        .filter(node -> ForeignServer.nameFor(node.id()).equals(mapping.server()))
                        .findFirst()
                        .flatMap(node -> password(node, secrets));
            }

            @Override
            public NodeObjects resolve(NodeObjects expected) {
                return ResolvedConnections.resolve(expected, state, secrets);
            }
        };
    }

    private static Optional<String> password(NodeState node, ConninfoSecrets secrets) {
        Conninfo conninfo = ForeignServerContributor.fdwConninfo(node);
        return conninfo.password().isEmpty() ? Optional.empty() : secrets.resolve(conninfo).password();
    }
}
