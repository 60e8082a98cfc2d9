package dev.shardman.applier.execute;

import dev.shardman.localcluster.junit.LocalClusterTest;
import dev.shardman.localcluster.junit.TestCluster;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The free-disk check on a real node whose data directory this host can read (the test cluster's): a copy larger than
 * the file system is refused naming the directory and the free bytes, a small one passes, and a server whose
 * pg_control does not carry the identifier given (another host with the same path) is left unchecked.
 */
@LocalClusterTest(workers = 1)
class DestinationDiskIT {
    @Test
    void readsTheFreeDiskOfTheNodesDataDirectoryOnlyWhenItIsThatServers(TestCluster cluster) throws Exception {
        try (Connection connection = cluster.connect(cluster.worker(1))) {
            String identifier;
            String dataDirectory;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT system_identifier::text, current_setting('data_directory') FROM pg_control_system()")) {
                row.next();
                identifier = row.getString(1);
                dataDirectory = row.getString(2);
            }
            Map<String, Connection> connections = Map.of("w1", connection);
            long petabyte = 1L << 50;
            DestinationDisk.Verdict huge = DestinationDisk.check(Map.of("w1", petabyte), Map.of("w1", identifier), connections);
            assertEquals(Map.of(), huge.unchecked());
            assertEquals(1, huge.problems().size(), huge.problems().toString());
            assertTrue(huge.problems().get(0).startsWith("w1: the plan moves " + petabyte + " bytes of partitions to w1 (their size on the"
                    + " source) plus "), huge.problems().get(0));
            assertTrue(huge.problems().get(0).contains("but the file system of " + dataDirectory + "/base has "), huge.problems().get(0));

            DestinationDisk.Verdict small = DestinationDisk.check(Map.of("w1", 65536L), Map.of("w1", identifier), connections);
            assertEquals(List.of(), small.problems());
            assertEquals(Map.of(), small.unchecked());

            DestinationDisk.Verdict elsewhere = DestinationDisk.check(Map.of("w1", petabyte), Map.of("w1", "1"), connections);
            assertEquals(List.of(), elsewhere.problems());
            assertEquals(Map.of("w1", petabyte), elsewhere.unchecked());
        }
    }
}
