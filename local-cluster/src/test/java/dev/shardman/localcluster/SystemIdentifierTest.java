package dev.shardman.localcluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A data directory's identifier renewed in pg_control (CRC kept valid) and in the WAL's long page header, or nowhere. */
class SystemIdentifierTest {
    private static final long OLD = 7716025936923502435L;
    private static final int CRC_OFFSET = 288;
    private static final String SEGMENT = "000000010000000000000001";

    @TempDir
    Path data;

    @Test
    void bothPlacesGetOneNewIdentifierAndTheControlFileItsCrc() throws IOException {
        write(OLD, (short) 0x0002);
        assertTrue(SystemIdentifier.renew(data));
        ByteBuffer control = read(data.resolve("global/pg_control"));
        long fresh = control.getLong(0);
        assertNotEquals(OLD, fresh);
        assertEquals(crc(control.array(), CRC_OFFSET), control.getInt(CRC_OFFSET));
        assertEquals(fresh, read(data.resolve("pg_wal").resolve(SEGMENT)).getLong(24));
    }

    @Test
    void aSegmentOfAnotherIdentifierOrWithoutALongHeaderLeavesEveryFileAlone() throws IOException {
        write(OLD + 1, (short) 0x0002);
        byte[] control = Files.readAllBytes(data.resolve("global/pg_control"));
        byte[] segment = Files.readAllBytes(data.resolve("pg_wal").resolve(SEGMENT));
        assertFalse(SystemIdentifier.renew(data));
        assertArrayEquals(control, Files.readAllBytes(data.resolve("global/pg_control")));
        assertArrayEquals(segment, Files.readAllBytes(data.resolve("pg_wal").resolve(SEGMENT)));

        write(OLD, (short) 0x0000);
        assertFalse(SystemIdentifier.renew(data));
        assertEquals(OLD, read(data.resolve("global/pg_control")).getLong(0));
    }

    @Test
    void aControlFileWithoutItsCrcIsLeftAlone() throws IOException {
        write(OLD, (short) 0x0002);
        byte[] control = Files.readAllBytes(data.resolve("global/pg_control"));
        control[CRC_OFFSET] ^= 1;
        Files.write(data.resolve("global/pg_control"), control);
        assertFalse(SystemIdentifier.renew(data));
        assertArrayEquals(control, Files.readAllBytes(data.resolve("global/pg_control")));
    }

    /** A control file as PostgreSQL 17 lays it out (identifier first, CRC after 288 bytes, zeros to 8 kB) and one WAL segment. */
    private void write(long walIdentifier, short pageInfo) throws IOException {
        byte[] control = new byte[8192];
        new Random(42).nextBytes(control);
        java.util.Arrays.fill(control, CRC_OFFSET, control.length, (byte) 0);
        ByteBuffer buffer = ByteBuffer.wrap(control).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(0, OLD);
        buffer.putInt(CRC_OFFSET, crc(control, CRC_OFFSET));
        Files.createDirectories(data.resolve("global"));
        Files.write(data.resolve("global/pg_control"), control);
        ByteBuffer page = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        page.putShort(0, (short) 0xD116).putShort(2, pageInfo).putInt(4, 1).putLong(8, 16777216L).putLong(24, walIdentifier);
        Files.createDirectories(data.resolve("pg_wal"));
        Files.write(data.resolve("pg_wal").resolve(SEGMENT), page.array());
    }

    private static ByteBuffer read(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
