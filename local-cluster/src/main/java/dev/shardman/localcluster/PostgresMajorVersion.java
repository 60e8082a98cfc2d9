package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The PostgreSQL major versions whose server binaries this module carries (linux-amd64 only).
 * {@link #DEFAULT} is the one DESIGN.md recommends.
 */
public enum PostgresMajorVersion {
    POSTGRES_15(15),
    POSTGRES_16(16),
    POSTGRES_17(17),
    POSTGRES_18(18);

    /** PostgreSQL 17 batches COPY into foreign partitions; 15 does not (DESIGN.md). */
    public static final PostgresMajorVersion DEFAULT = POSTGRES_17;

    private final int number;

    PostgresMajorVersion(int number) {
        this.number = number;
    }

    /** The major version number, e.g. 17. */
    public int number() {
        return number;
    }

    /**
     * The version with this number.
     *
     * @throws LocalClusterException when no binaries for that major version are bundled
     */
    public static PostgresMajorVersion of(int number) {
        return Arrays.stream(values())
                .filter(version -> version.number == number)
                .findFirst()
                .orElseThrow(() -> new LocalClusterException(
                        LocalClusterException.Reason.UNSUPPORTED_VERSION,
                        ErrorCode.INVALID_INPUT,
                        "PostgreSQL " + number + " is not available for the local cluster",
                        "choose one of " + supportedNumbers()));
    }

    static String supportedNumbers() {
        return Arrays.stream(values())
                .map(version -> Integer.toString(version.number))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "PostgreSQL " + number;
    }
}
