package dev.shardman.applier.objects;

import dev.shardman.model.conninfo.Conninfo;
import dev.shardman.model.state.ClusterState;
import dev.shardman.model.state.NodeState;

import java.util.Map;
import java.util.Optional;

/**
 * The password a user mapping on a shardman foreign server must carry, resolved at run time (from
 * the environment). Its result goes only into the executed text of a {@link SqlStatement}.
 */
@FunctionalInterface
public interface PasswordSource {
    /** The password for {@code mapping}, if its conninfo has one. */
    Optional<String> passwordFor(UserMapping mapping);

    /** No passwords (trust or .pgpass on the peers). */
    static PasswordSource none() {
        return mapping -> Optional.empty();
    }

    /**
     * Passwords of the peers' FDW conninfo ({@code conninfo}, else {@code super_conninfo}) in
     * {@code state}, with {@code ${env:NAME}} references resolved against {@code environment}.
     */
    static PasswordSource fromState(ClusterState state, Map<String, String> environment) {
        return mapping -> state.nodes().stream()
                .filter(node -> ForeignServer.nameFor(node.id()).equals(mapping.server()))
                .findFirst()
                .flatMap(node -> password(node, environment));
    }

    private static Optional<String> password(NodeState node, Map<String, String> environment) {
        Conninfo conninfo = ForeignServerContributor.fdwConninfo(node);
        return conninfo.password().isEmpty() ? Optional.empty() : conninfo.resolve(environment).password();
    }
}
