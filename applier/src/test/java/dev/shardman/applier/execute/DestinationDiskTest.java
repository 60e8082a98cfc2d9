package dev.shardman.applier.execute;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The free-disk verdict for a move's destination, without a server: partitions plus WAL headroom against free bytes. */
class DestinationDiskTest {
    private static final long GB = 1L << 30;
    private static final Path DATA = Path.of("/srv/pg/base");
    private static final Path WAL = Path.of("/srv/pg/pg_wal");

    @Test
    void oneFileSystemNeedsThePartitionsPlusTheirWalUpToMaxWalSize() {
        DestinationDisk.Room room = new DestinationDisk.Room(DATA, 5 * GB, WAL, 5 * GB, true, GB);
        assertEquals(Optional.empty(), DestinationDisk.problem("w3", 4 * GB, room));
        assertEquals(Optional.of("w3: the plan moves " + 4 * GB + " bytes of partitions to w3 (their size on the source) plus " + GB
                        + " bytes of WAL headroom, but the file system of /srv/pg/base has " + (4 * GB + 1) + " bytes free: free space there"
                        + " or move fewer partitions at a time"),
                DestinationDisk.problem("w3", 4 * GB, new DestinationDisk.Room(DATA, 4 * GB + 1, WAL, 4 * GB + 1, true, GB)));
        // a small copy writes little WAL: the headroom is the copy's size, not max_wal_size
        assertEquals(Optional.empty(), DestinationDisk.problem("w3", 1000, new DestinationDisk.Room(DATA, 2000, WAL, 2000, true, GB)));
        assertEquals(true, DestinationDisk.problem("w3", 1000, new DestinationDisk.Room(DATA, 1999, WAL, 1999, true, GB)).isPresent());
    }

    @Test
    void separateWalFileSystemIsCheckedForTheHeadroomAlone() {
        assertEquals(Optional.empty(), DestinationDisk.problem("w2", 4 * GB, new DestinationDisk.Room(DATA, 4 * GB, WAL, GB, false, GB)));
        assertEquals(Optional.of("w2: the plan moves " + 4 * GB + " bytes of partitions to w2 (their size on the source), but the file system"
                        + " of /srv/pg/base has " + (4 * GB - 1) + " bytes free: free space there or move fewer partitions at a time"),
                DestinationDisk.problem("w2", 4 * GB, new DestinationDisk.Room(DATA, 4 * GB - 1, WAL, 10 * GB, false, GB)));
        assertEquals(Optional.of("w2: the plan moves " + 4 * GB + " bytes of partitions to w2 (their size on the source), which needs " + GB
                        + " bytes of WAL headroom, but the file system of /srv/pg/pg_wal has " + (GB - 1) + " bytes free: free space there"
                        + " or move fewer partitions at a time"),
                DestinationDisk.problem("w2", 4 * GB, new DestinationDisk.Room(DATA, 10 * GB, WAL, GB - 1, false, GB)));
    }
}
