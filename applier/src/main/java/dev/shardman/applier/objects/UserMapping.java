package dev.shardman.applier.objects;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A user mapping on a shardman foreign server. {@code localRole} is {@code CURRENT_USER} (the role
 * shardman connects as; the inspector reports the mapping of the current role under that name),
 * {@code PUBLIC}, or a role name. {@code hasPassword} says only whether a password option is set:
 * the expected object never holds the password (it is resolved from the environment at run time by
 * a {@link PasswordSource}) and the inspector returns only a salted {@code passwordDigest} computed
 * inside the server ({@link dev.shardman.applier.connect.SecretDigest}), so the value never reaches
 * Java. The expected mapping gets the digest of the resolved password ({@link PasswordSource#resolve});
 * a stale password (rotated in the environment) is then a mismatch. {@link #toString()} leaves the
 * digest out.
 */
public record UserMapping(String server, String localRole, Optional<String> remoteUser, boolean hasPassword,
                          Optional<String> passwordDigest) implements NodeObject {
    public static final String CURRENT_USER = "CURRENT_USER";
    public static final String PUBLIC = "PUBLIC";

    public UserMapping {
        requireNonNull(server, "server is null");
        requireNonNull(localRole, "localRole is null");
        requireNonNull(remoteUser, "remoteUser is null");
        requireNonNull(passwordDigest, "passwordDigest is null");
    }

    /** A mapping whose password (if any) is not compared. */
    public UserMapping(String server, String localRole, Optional<String> remoteUser, boolean hasPassword) {
        this(server, localRole, remoteUser, hasPassword, Optional.empty());
    }

    public UserMapping withPasswordDigest(Optional<String> digest) {
        return new UserMapping(server, localRole, remoteUser, hasPassword, digest);
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

    @Override
    public String toString() {
        return "UserMapping[" + describe() + "]";
    }
}
