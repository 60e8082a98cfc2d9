package dev.shardman.model.state;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One worker node as the shardlord records it.
 *
 * @param id positive number, unique in the cluster; names the foreign server {@code shardman_node_<id>}
 * @param systemIdentifier the server's {@code pg_control_system()} identifier once it has been seen
 * @param superConninfo superuser conninfo as given in the spec (may hold {@code ${env:NAME}} references, never a password)
 * @param conninfo optional non-superuser conninfo for user mappings, same rules
 * @param lost true once the node was declared gone for good; a lost node holds no partition after failover
 */
public record NodeState(
        long id,
        String name,
        Optional<String> systemIdentifier,
        String superConninfo,
        Optional<String> conninfo,
        String replicationGroup,
        boolean lost) {

    public NodeState {
        if (id <= 0) {
            throw new IllegalArgumentException("node id must be positive: " + id);
        }
        requireNonNull(name, "name is null");
        requireNonNull(systemIdentifier, "systemIdentifier is null");
        requireNonNull(superConninfo, "superConninfo is null");
        requireNonNull(conninfo, "conninfo is null");
        requireNonNull(replicationGroup, "replicationGroup is null");
    }

    public NodeState withLost(boolean newLost) {
        return new NodeState(id, name, systemIdentifier, superConninfo, conninfo, replicationGroup, newLost);
    }
}
