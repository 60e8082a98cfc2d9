package dev.shardman.localcluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Gives a copied, never started data directory a system identifier of its own: shardman tells servers apart by it
 * (a node registered twice), so copies of one initdb must not share it. PostgreSQL keeps it in two places a fresh
 * cluster has: the first field of {@code global/pg_control}, whose CRC-32C over the bytes before it is its last field,
 * and the long header of each WAL segment's first page ({@code xlp_sysid}), which the server compares with it at
 * start. Both are checked before anything is written; a layout that does not match leaves the files alone.
 */
final class SystemIdentifier {
    private static final String CONTROL_FILE = "global/pg_control";
    /** Far beyond the CRC's offset in every version (288 bytes in PostgreSQL 17). */
    private static final int CRC_SEARCH_LIMIT = 1024;
    private static final short WAL_PAGE_MAGIC_MIN = (short) 0xD000;
    private static final short XLP_LONG_HEADER = 0x0002;
    private static final int WAL_SYSID_OFFSET = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SystemIdentifier() {
    }

    /** Writes a new random identifier into {@code dataDirectory}; false (nothing written) when its files are not as expected. */
    static boolean renew(Path dataDirectory) throws IOException {
        byte[] control = Files.readAllBytes(dataDirectory.resolve(CONTROL_FILE));
        ByteBuffer buffer = ByteBuffer.wrap(control).order(ByteOrder.LITTLE_ENDIAN);
        long old = buffer.getLong(0);
        int crcOffset = crcOffset(control);
        List<Path> segments = walSegments(dataDirectory, old);
        if (crcOffset < 0 || segments.isEmpty()) {
            return false;
        }
        long fresh;
        do {
            fresh = RANDOM.nextLong() & Long.MAX_VALUE;
        } while (fresh == 0 || fresh == old);
        ByteBuffer identifier = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, fresh);
        for (Path segment : segments) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.write(identifier.duplicate(), WAL_SYSID_OFFSET);
            }
        }
        buffer.putLong(0, fresh);
        buffer.putInt(crcOffset, crc(control, crcOffset));
        Files.write(dataDirectory.resolve(CONTROL_FILE), control);
        return true;
    }

    /** The offset of the control file's CRC: the one 4-byte-aligned place that holds the CRC-32C of the bytes before it; -1 if none is. */
    private static int crcOffset(byte[] control) {
        ByteBuffer buffer = ByteBuffer.wrap(control).order(ByteOrder.LITTLE_ENDIAN);
        int found = -1;
        for (int offset = Long.BYTES; offset + Integer.BYTES <= Math.min(control.length, CRC_SEARCH_LIMIT); offset += Integer.BYTES) {
            if (buffer.getInt(offset) == crc(control, offset)) {
                if (found >= 0) {
                    return -1; // two candidates: not a layout we know
                }
                found = offset;
            }
        }
        return found;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    /** The WAL segments, each starting with a long page header that carries {@code identifier}; empty if one does not. */
    private static List<Path> walSegments(Path dataDirectory, long identifier) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDirectory.resolve("pg_wal"))) {
            for (Path file : files.filter(path -> path.getFileName().toString().matches("[0-9A-F]{24}")).toList()) {
                ByteBuffer header = ByteBuffer.allocate(WAL_SYSID_OFFSET + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.read(header, 0);
                }
                boolean longHeader = Short.compareUnsigned(header.getShort(0), WAL_PAGE_MAGIC_MIN) >= 0
                        && (header.getShort(2) & XLP_LONG_HEADER) != 0;
                if (header.position() < header.capacity() || !longHeader || header.getLong(WAL_SYSID_OFFSET) != identifier) {
                    return List.of();
                }
                segments.add(file);
            }
        }
        return segments;
    }
}
