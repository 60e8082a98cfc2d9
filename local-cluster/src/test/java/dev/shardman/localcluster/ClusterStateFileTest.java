package dev.shardman.localcluster;

import dev.shardman.localcluster.ClusterStateFile.RecordedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterStateFileTest {
    @TempDir
    Path directory;

    @Test
    void writtenClusterReadsBackWithItsLayout() {
        LocalClusterConfig config = new LocalClusterConfig(directory, 2, PostgresMajorVersion.POSTGRES_16, 40000);
        List<InstanceLayout> layout = InstanceLayout.forCluster(directory, 2, 40000);

        ClusterStateFile.write(directory, RecordedCluster.of(config, layout, "16.15"));
        RecordedCluster read = ClusterStateFile.read(directory).orElseThrow();

        assertEquals(16, read.postgresMajor());
        assertEquals("16.15", read.postgresVersion());
        assertEquals(layout, read.layout(directory));
        assertEquals(List.of("shardlord", "w1", "w2"), layout.stream().map(InstanceLayout::name).toList());
        assertEquals(List.of(40000, 40001, 40002), layout.stream().map(InstanceLayout::port).toList());
    }

    @Test
    void aMissingFileIsNoCluster() {
        assertEquals(Optional.empty(), ClusterStateFile.read(directory));
    }

    @Test
    void aBrokenFileIsReportedWithItsPath() throws IOException {
        Files.writeString(ClusterStateFile.path(directory), "{ not json");

        LocalClusterException broken = assertThrows(LocalClusterException.class, () -> ClusterStateFile.read(directory));

        assertEquals(LocalClusterException.Reason.STATE_FILE, broken.reason());
        assertTrue(broken.getMessage().contains(ClusterStateFile.path(directory).toString()), broken.getMessage());
    }

    @Test
    void anotherShapeIsRefusedWithTheRecordedSettings() {
        LocalClusterConfig recorded = new LocalClusterConfig(directory, 3, PostgresMajorVersion.POSTGRES_17, 17430);
        RecordedCluster cluster = RecordedCluster.of(recorded,
                InstanceLayout.forCluster(directory, 3, 17430), "17.11");

        ShapeCheck.requireSameShape(cluster, recorded);
        LocalClusterException mismatch = assertThrows(LocalClusterException.class,
                () -> ShapeCheck.requireSameShape(cluster, recorded.withBasePort(56000)));

        assertEquals(LocalClusterException.Reason.CONFIGURATION_MISMATCH, mismatch.reason());
        assertTrue(mismatch.detail().contains("--base-port 17430"), mismatch.detail());
    }

    @Test
    void moreWorkersGrowTheClusterAndFewerAreRefusedSayingHowToDrainThem() {
        LocalClusterConfig recorded = new LocalClusterConfig(directory, 3, PostgresMajorVersion.POSTGRES_17, 17430);
        RecordedCluster cluster = RecordedCluster.of(recorded, InstanceLayout.forCluster(directory, 3, 17430), "17.11");

        ShapeCheck.requireSameShape(cluster, recorded.withWorkers(5));
        LocalClusterException fewer = assertThrows(LocalClusterException.class,
                () -> ShapeCheck.requireSameShape(cluster, recorded.withWorkers(1)));

        assertEquals(LocalClusterException.Reason.CONFIGURATION_MISMATCH, fewer.reason());
        assertTrue(fewer.getMessage().contains("has 3 workers; up does not remove w2..w3 (asked for --workers 1)"), fewer.getMessage());
        assertTrue(fewer.detail().contains("remove them from the spec's nodes and run apply"), fewer.detail());
        LocalClusterException otherVersionAndMore = assertThrows(LocalClusterException.class,
                () -> ShapeCheck.requireSameShape(cluster, recorded.withWorkers(4).withPostgresMajor(PostgresMajorVersion.POSTGRES_16)));
        assertTrue(otherVersionAndMore.getMessage().contains("not the requested 4 workers on PostgreSQL 16"), otherVersionAndMore.getMessage());
    }
}
