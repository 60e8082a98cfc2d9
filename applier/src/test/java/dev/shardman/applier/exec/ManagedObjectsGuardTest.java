package dev.shardman.applier.exec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ManagedObjectsGuardTest {
    @Test
    void rowsThatAppearDisappearOrGetANewXminNameTheirObjects() {
        Set<String> before = Set.of("relation customers_1 700", "index customers_1_pkey 700", "foreign server shardman_node_2 701");
        Set<String> after = Set.of("relation customers_1 900", "index customers_1_pkey 700", "trigger t on customers_1 900");

        assertEquals(List.of("altered relation customers_1", "dropped foreign server shardman_node_2", "created trigger t on customers_1"),
                ManagedObjectsGuard.changedObjects(before, after));
    }

    @Test
    void columnsComeAfterTheObjectsTheyBelongTo() {
        Set<String> before = Set.of("column customers_1_fdw.id 700", "foreign server shardman_node_2 700", "relation customers_1_fdw 700");

        assertEquals(List.of("dropped foreign server shardman_node_2", "dropped relation customers_1_fdw", "dropped column customers_1_fdw.id"),
                ManagedObjectsGuard.changedObjects(before, Set.of()));
    }

    @Test
    void unchangedRowsAreNothing() {
        Set<String> rows = Set.of("relation customers_1 700", "column customers_1.id 700");

        assertEquals(List.of(), ManagedObjectsGuard.changedObjects(rows, Set.copyOf(rows)));
    }
}
