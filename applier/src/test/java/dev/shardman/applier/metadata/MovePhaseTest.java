package dev.shardman.applier.metadata;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phases of a move (also fault point names: stable) and the names a move gives its objects. */
class MovePhaseTest {
    @Test
    void phasesKeepTheirOrderAndNamesAndTheMigrationAcceptsEachOne() {
        assertEquals(List.of("copy", "catch-up", "cutover", "verify", "switch-destination", "switch-others", "commit", "cleanup", "done",
                "rolled-back"), java.util.Arrays.stream(MovePhase.values()).map(MovePhase::text).toList());
        String migration = Migrations.sql(new Migration(2, "moves"));
        for (MovePhase phase : MovePhase.values()) {
            assertEquals(phase, MovePhase.parse(phase.text()));
            assertTrue(migration.contains("'" + phase.text() + "'"), phase.text() + " is not allowed by migration 2");
        }
    }

    @Test
    void onlyPhasesFromVerifyOnAreAfterTheCutover() {
        assertFalse(MovePhase.COPY.pastCutover());
        assertFalse(MovePhase.CATCH_UP.pastCutover());
        assertFalse(MovePhase.CUTOVER.pastCutover(), "cutover may or may not have committed: the catalog decides");
        assertTrue(MovePhase.VERIFY.pastCutover());
        assertTrue(MovePhase.CLEANUP.pastCutover());
        assertFalse(MovePhase.ROLLED_BACK.pastCutover());
    }

    @Test
    void aMoveNamesItsObjectsAfterItsId() {
        MoveRecord move = new MoveRecord(7, "move-primary:customers_3", "plan", List.of("customers", "orders"), 3, "w1", "w3",
                MovePhase.COPY, Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals("shardman_move_7", move.channelName());
        assertEquals(List.of("customers_3", "orders_3"), move.partitions());
        assertEquals("customers_3_m7", move.retiredName("customers_3"));
        assertEquals("customers_3, orders_3 from w1 to w3", move.describe());
    }
}
