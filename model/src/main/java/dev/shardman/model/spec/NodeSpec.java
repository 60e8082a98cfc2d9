package dev.shardman.model.spec;

import java.math.BigDecimal;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One worker node of the spec.
 *
 * @param superConninfo libpq conninfo of a superuser connection (references unresolved)
 * @param conninfo optional non-superuser conninfo used for the user mappings of postgres_fdw
 * @param replicationGroup the group among whose nodes replicas may be placed; when the spec omits
 *        it, the node forms a group of its own named after the node
 * @param lost true when the node is gone for good and its partitions must fail over
 * @param weight how much this node holds relative to the others of its group (positive, default 1): the
 *        balancer gives each node a share of the group's primaries, and of its replicas, proportional to it
 */
public record NodeSpec(
        String name,
        String superConninfo,
        Optional<String> conninfo,
        String replicationGroup,
        boolean lost,
        Positions positions,
        BigDecimal weight) {

    public NodeSpec {
        requireNonNull(name, "name is null");
        requireNonNull(superConninfo, "superConninfo is null");
        requireNonNull(conninfo, "conninfo is null");
        requireNonNull(replicationGroup, "replicationGroup is null");
        requireNonNull(positions, "positions is null");
        requireNonNull(weight, "weight is null");
        if (weight.signum() <= 0) {
            throw new IllegalArgumentException("weight must be positive: " + weight);
        }
    }

    /** A node of weight 1. */
    public NodeSpec(String name, String superConninfo, Optional<String> conninfo, String replicationGroup, boolean lost, Positions positions) {
        this(name, superConninfo, conninfo, replicationGroup, lost, positions, BigDecimal.ONE);
    }
}
