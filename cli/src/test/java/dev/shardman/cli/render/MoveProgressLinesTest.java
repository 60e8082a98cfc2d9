package dev.shardman.cli.render;

import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoveProgressLinesTest {
    private static final long MIB = 1024L * 1024;
    private static final MoveLabel CUSTOMERS_7 = new MoveLabel("customers_7", "w2", "w4");

    @Test
    void barHasTheGivenWidthAndRoundsDown() {
        assertEquals("░░░░░░░░░░", MoveProgressLines.bar(0, 100, 10));
        assertEquals("████░░░░░░", MoveProgressLines.bar(412, 1024, 10));
        assertEquals("█████████░", MoveProgressLines.bar(999, 1000, 10));
        assertEquals("██████████", MoveProgressLines.bar(1000, 1000, 10));
        assertEquals("████████████████████", MoveProgressLines.bar(1200, 1000, 20));
        assertEquals("░░░░░", MoveProgressLines.bar(10, 0, 5));
    }

    @Test
    void terminalLine() {
        MoveProgress progress = progress("copy", 412 * MIB, 1024 * MIB, Optional.of(Duration.ofSeconds(42)));
        assertEquals("[3/6] customers_7 w2→w4 copy ████░░░░░░ 412 MiB / 1.0 GiB  ETA 0:42",
                MoveProgressLines.terminal(progress, CUSTOMERS_7, false));
    }

    @Test
    void terminalLineWithoutEtaOrTotal() {
        assertEquals("[3/6] customers_7 w2→w4 catch-up 5 MiB",
                MoveProgressLines.terminal(progress("catch-up", 5 * MIB, 0, Optional.empty()), CUSTOMERS_7, false));
    }

    @Test
    void aPhaseWithoutBytesShowsNoFigures() {
        assertEquals("[3/6] customers_7 w2→w4 cutover", MoveProgressLines.terminal(progress("cutover", 0, 0, Optional.empty()), CUSTOMERS_7, false));
        assertEquals("[3/6] customers_7 w2→w4 verify", MoveProgressLines.plain(progress("verify", 0, 0, Optional.empty()), CUSTOMERS_7));
    }

    @Test
    void terminalLineColoursOnlyTheFilledCellsWhenAsked() {
        String line = MoveProgressLines.terminal(progress("copy", 412 * MIB, 1024 * MIB, Optional.empty()), CUSTOMERS_7, true);
        assertEquals("[3/6] customers_7 w2→w4 copy \u001b[32m████\u001b[0m░░░░░░ 412 MiB / 1.0 GiB", line);
        assertEquals("[3/6] customers_7 w2→w4 copy ░░░░░░░░░░ 8 KiB / 1.0 GiB",
                MoveProgressLines.terminal(progress("copy", 8 * 1024, 1024 * MIB, Optional.empty()), CUSTOMERS_7, true));
    }

    @Test
    void terminalLineFitsTheColumnsByShorteningTheLabel() {
        MoveLabel colocated = new MoveLabel("customers_7, orders_7, order_lines_7, invoices_7, payments_7, shipments_7", "w2", "w4");
        String line = MoveProgressLines.terminal(progress("copy", 412 * MIB, 1024 * MIB, Optional.of(Duration.ofSeconds(42))), colocated, false);
        assertEquals(MoveProgressLines.TERMINAL_COLUMNS, line.length());
        assertTrue(line.startsWith("[3/6] customers_7, orders_7"), line);
        assertTrue(line.endsWith("… copy ████░░░░░░ 412 MiB / 1.0 GiB  ETA 0:42"), line);
    }

    @Test
    void plainLineHasAPercentageAndNoControlOrBlockCharacters() {
        String line = MoveProgressLines.plain(progress("copy", 412 * MIB, 1024 * MIB, Optional.of(Duration.ofSeconds(42))), CUSTOMERS_7);
        assertEquals("[3/6] customers_7 w2→w4 copy 40% 412 MiB / 1.0 GiB, ETA 0:42", line);
    }

    @Test
    void plainLineSaysHundredPercentOnlyWhenDone() {
        assertTrue(MoveProgressLines.plain(progress("copy", 1023, 1024, Optional.empty()), CUSTOMERS_7).contains(" 99% "));
        assertTrue(MoveProgressLines.plain(progress("cutover", 1024, 1024, Optional.empty()), CUSTOMERS_7).contains(" 100% "));
    }

    @Test
    void doneLine() {
        MoveReport report = new MoveReport("move-primary:customers_7", "customers_7 will be moved from w2 to w4", 250_113, 412 * MIB,
                Duration.ofMillis(38_200), Duration.ofMillis(41));
        assertEquals("→ customers_7 moved w2→w4: 250,113 rows, 412 MiB, copy 38.2 s, write fence 41 ms",
                MoveProgressLines.done(report, CUSTOMERS_7, false));
        assertEquals("\u001b[36m→\u001b[0m customers_7 moved w2→w4: 250,113 rows, 412 MiB, copy 38.2 s, write fence 41 ms",
                MoveProgressLines.done(report, CUSTOMERS_7, true));
    }

    @Test
    void aMoveThePlanDoesNotNameUsesItsDescription() {
        MoveLabel label = MoveLabel.described("customers_7 will be moved from w2 to w4");
        assertEquals("[3/6] customers_7 will be moved from w2 to w4 cleanup",
                MoveProgressLines.terminal(progress("cleanup", 0, 0, Optional.empty()), label, false));
    }

    static MoveProgress progress(String phase, long copied, long total, Optional<Duration> eta) {
        return new MoveProgress("move-primary:customers_7", "customers_7 will be moved from w2 to w4", 3, 6, phase, copied, total, eta);
    }
}
