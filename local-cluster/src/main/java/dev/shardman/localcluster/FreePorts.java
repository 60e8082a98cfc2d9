package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;

import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Finds a block of consecutive free TCP ports on 127.0.0.1 for a throw-away cluster (tests). The
 * block lies in 20000-32767: below Linux's ephemeral range (32768-60999), so client sockets do not
 * grab our ports between the check and the server's bind, and far from the fixed
 * {@link LocalClusterConfig#DEFAULT_BASE_PORT} range that a developer's {@code shardman local up}
 * uses. The start is random so parallel builds rarely collide; callers still retry on
 * {@link LocalClusterException.Reason#PORT_IN_USE}.
 */
public final class FreePorts {
    static final int LOWEST = 20000;
    static final int HIGHEST = 32767;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    /** The first port of {@code size} consecutive ports that are free right now. */
    public static int findBlock(int size) {
        if (size < 1 || size > 100) {
            throw new IllegalArgumentException("block size must be 1 to 100, not " + size);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - size + 2);
            if (IntStream.range(base, base + size).allMatch(Ports::isFree)) {
                return base;
            }
        }
        throw new LocalClusterException(LocalClusterException.Reason.PORT_IN_USE, ErrorCode.NODE_FAILURE,
                "found no " + size + " consecutive free ports on 127.0.0.1 between " + LOWEST + " and " + HIGHEST,
                "stop servers that are left over from earlier test runs");
    }
}
