package dev.shardman.applier.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Compares secrets (a user mapping's password, a subscription's conninfo) without reading them back:
 * the server computes {@code encode(sha256(convert_to(salt || value, 'UTF8')), 'hex')} over its value,
 * shardman {@link #of} over the resolved one, both
 * salted with a random value chosen per process, so the digest is worthless outside this run. A
 * digest is compared only, never stored or printed.
 */
public final class SecretDigest {
    private static final String SALT = randomSalt();

    private SecretDigest() {
    }

    /** The value to bind before the server-side value (see above). */
    public static String salt() {
        return SALT;
    }

    private static String randomSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }

    public static String of(String secret) {
        requireNonNull(secret, "secret is null");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((SALT + secret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
