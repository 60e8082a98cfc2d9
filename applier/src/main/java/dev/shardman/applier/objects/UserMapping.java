package dev.shardman.applier.objects;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A user mapping on a shardman foreign server. {@code localRole} is {@code CURRENT_USER} (the role
 * shardman connects as; the inspector reports the mapping of the current role under that name),
 * {@code PUBLIC}, or a role name. {@code hasPassword} says only whether a password option is set:
 * the expected object never holds the password (it is resolved from the environment at run time by
 * a {@link PasswordSource}) and the inspector tests the option's presence inside the server, so the
 * value never reaches Java. A changed password is therefore not detected as drift.
 */
public record UserMapping(String server, String localRole, Optional<String> remoteUser, boolean hasPassword) implements NodeObject {
    public static final String CURRENT_USER = "CURRENT_USER";
    public static final String PUBLIC = "PUBLIC";

    public UserMapping {
        requireNonNull(server, "server is null");
        requireNonNull(localRole, "localRole is null");
        requireNonNull(remoteUser, "remoteUser is null");
    }

    @Override
    public ObjectKey key() {
        return new ObjectKey(ObjectKind.USER_MAPPING, server + " for " + localRole);
    }

    @Override
    public <R> R accept(NodeObjectVisitor<R> visitor) {
        return visitor.visitUserMapping(this);
    }

    @Override
    public String describe() {
        return "user mapping for " + localRole + " on " + server + remoteUser.map(user -> " as " + user).orElse("")
                + (hasPassword ? " with a password" : "");
    }
}
