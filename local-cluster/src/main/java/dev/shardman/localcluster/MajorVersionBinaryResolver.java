package dev.shardman.localcluster;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * Serves the server archive of one major version from {@code shardman-pg/<major>/} on the class
 * path, where the build unpacked it out of zonky's binaries jar (those jars cannot share a class
 * path: they all hold the same resource name). A record, because zonky caches the unpacked
 * binaries per resolver by equality.
 */
record MajorVersionBinaryResolver(PostgresMajorVersion major) implements PgBinaryResolver {
    static final String ARCHIVE = "postgres-linux-x86_64.txz";

    MajorVersionBinaryResolver {
        requireNonNull(major, "major is null");
    }

    String resourceName() {
        return "shardman-pg/" + major.number() + "/" + ARCHIVE;
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        if (!"Linux".equals(system) || !"x86_64".equals(machineHardware)) {
            throw new IOException("the local cluster bundles PostgreSQL for Linux x86_64 only, not "
                    + system + " " + machineHardware);
        }
        InputStream archive = MajorVersionBinaryResolver.class.getClassLoader().getResourceAsStream(resourceName());
        if (archive == null) {
            throw new IOException("the class path lacks " + resourceName() + " (is the local-cluster jar complete?)");
        }
        return archive;
    }
}
