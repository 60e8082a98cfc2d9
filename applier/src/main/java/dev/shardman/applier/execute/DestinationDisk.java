package dev.shardman.applier.execute;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Free disk on a move's destination against what the plan copies there. PostgreSQL reports no free disk over SQL
 * ({@code pg_ls_dir} and {@code pg_stat_file} give none; Citus ships a C function calling statvfs for this), so it is
 * read from the file system, which works only where shardman runs on the node's host and may read its data
 * directory. That directory is taken to be the node's only when its {@code global/pg_control} starts with the
 * server's system identifier (another host or a container can have the same path). Elsewhere the destination is
 * left unchecked and plan warns with the bytes instead.
 */
final class DestinationDisk {
    private static final String LOCATIONS = """
            SELECT (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'data_directory'),
                   coalesce(nullif((SELECT pg_catalog.pg_tablespace_location(t.oid) FROM pg_catalog.pg_tablespace t
                                    WHERE t.spcname = pg_catalog.current_setting('default_tablespace')), ''),
                            nullif(pg_catalog.pg_tablespace_location(d.dattablespace), '')),
                   pg_catalog.pg_size_bytes(pg_catalog.current_setting('max_wal_size'))
            FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()""";

    /**
     * Where a node's new partitions and its WAL go, and their file systems' usable bytes; {@code sharedStore} when one
     * file system holds both. {@code maxWalSize} bounds the WAL the copy leaves before checkpoints recycle it.
     */
    record Room(Path data, long dataFree, Path wal, long walFree, boolean sharedStore, long maxWalSize) {
        Room {
            requireNonNull(data, "data is null");
            requireNonNull(wal, "wal is null");
        }
    }

    /** Refusals (a destination without room) and the destinations that could not be checked, with their bytes. */
    record Verdict(List<String> problems, Map<String, Long> unchecked) {
        Verdict {
            problems = List.copyOf(problems);
            unchecked = Map.copyOf(unchecked);
        }
    }

    private DestinationDisk() {
    }

    /** {@code incoming}: bytes each destination receives; {@code identifiers}: each reachable node's system identifier. */
    static Verdict check(Map<String, Long> incoming, Map<String, String> identifiers, Map<String, Connection> connections)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, Long> unchecked = new TreeMap<>();
        for (Map.Entry<String, Long> entry : incoming.entrySet()) {
            String node = entry.getKey();
            Optional<Room> room = connections.containsKey(node) && identifiers.containsKey(node)
                    ? room(connections.get(node), identifiers.get(node)) : Optional.empty();
            if (room.isEmpty()) {
                unchecked.put(node, entry.getValue());
            } else {
                problem(node, entry.getValue(), room.get()).ifPresent(problems::add);
            }
        }
        return new Verdict(problems, unchecked);
    }

    /**
     * The copy writes the partitions' size (indexes and TOAST included, as on the source) into the data's file system,
     * and about as much WAL, of which up to {@code max_wal_size} stays until checkpoints recycle it.
     */
    static Optional<String> problem(String node, long bytes, Room room) {
        long walHeadroom = Math.min(bytes, room.maxWalSize());
        String moved = node + ": the plan moves " + bytes + " bytes of partitions to " + node + " (their size on the source)";
        String fix = ": free space there or move fewer partitions at a time";
        if (room.sharedStore() && bytes + walHeadroom > room.dataFree()) {
            return Optional.of(moved + " plus " + walHeadroom + " bytes of WAL headroom, but the file system of " + room.data()
                    + " has " + room.dataFree() + " bytes free" + fix);
        }
        if (!room.sharedStore() && bytes > room.dataFree()) {
            return Optional.of(moved + ", but the file system of " + room.data() + " has " + room.dataFree() + " bytes free" + fix);
        }
        if (!room.sharedStore() && walHeadroom > room.walFree()) {
            return Optional.of(moved + ", which needs " + walHeadroom + " bytes of WAL headroom, but the file system of " + room.wal()
                    + " has " + room.walFree() + " bytes free" + fix);
        }
        return Optional.empty();
    }

    /** The node's room, or empty when its data directory is not this host's to read. */
    private static Optional<Room> room(Connection connection, String systemIdentifier) throws SQLException {
        Path dataDirectory;
        Optional<Path> tablespace;
        long maxWalSize;
        try (PreparedStatement statement = connection.prepareStatement(LOCATIONS); ResultSet row = statement.executeQuery()) {
            if (!row.next() || row.getString(1) == null) {
                return Optional.empty(); // not readable by this role
            }
            dataDirectory = Path.of(row.getString(1));
            tablespace = Optional.ofNullable(row.getString(2)).map(Path::of);
            maxWalSize = row.getLong(3);
        }
        try {
            if (!systemIdentifier.equals(controlFileIdentifier(dataDirectory))) {
                return Optional.empty();
            }
            Path data = tablespace.orElse(dataDirectory.resolve("base"));
            Path wal = dataDirectory.resolve("pg_wal");
            FileStore dataStore = Files.getFileStore(data);
            FileStore walStore = Files.getFileStore(wal);
            return Optional.of(new Room(data, dataStore.getUsableSpace(), wal, walStore.getUsableSpace(), dataStore.equals(walStore), maxWalSize));
        } catch (IOException | SecurityException notHere) {
            return Optional.empty();
        }
    }

    /** pg_control begins with the system identifier, a uint64 in the server's byte order (this host's, if it is the host). */
    private static String controlFileIdentifier(Path dataDirectory) throws IOException {
        try (InputStream control = Files.newInputStream(dataDirectory.resolve("global").resolve("pg_control"))) {
            byte[] head = control.readNBytes(Long.BYTES);
            if (head.length < Long.BYTES) {
                return "";
            }
            return Long.toUnsignedString(ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getLong());
        }
    }
}
