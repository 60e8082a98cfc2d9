package dev.shardman.cli.render;

import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;
import dev.shardman.planner.Plan;
import dev.shardman.planner.PlanHeader;
import dev.shardman.planner.graph.PlannedStep;
import dev.shardman.planner.step.MovePrimary;
import dev.shardman.planner.step.PartitionUnit;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MoveProgressDisplayTest {
    private static final long MIB = 1024L * 1024;
    private static final Plan PLAN = new Plan(new PlanHeader("demo", "lineage", 4),
            List.of(new PlannedStep(new MovePrimary(new PartitionUnit(List.of("customers"), 7), "w2", "w4"), List.of())));

    private final StringWriter text = new StringWriter();
    private long now = 1_000_000_000L;

    @Test
    void terminalRedrawsOneLineInPlaceAtMostEveryInterval() {
        MoveProgressDisplay display = display(true);
        display.progress(copy(100));
        now += ms(50);
        display.progress(copy(200));
        now += ms(150);
        display.progress(copy(300));
        assertEquals("\r[1/2] customers_7 w2→w4 copy ░░░░░░░░░░ 100 MiB / 1.0 GiB"
                + "\r[1/2] customers_7 w2→w4 copy ██░░░░░░░░ 300 MiB / 1.0 GiB", text.toString());
    }

    @Test
    void terminalShowsANewPhaseAtOnceAndPadsOverTheLongerLine() {
        MoveProgressDisplay display = display(true);
        display.progress(copy(100));
        now += ms(1);
        display.progress(progress("cutover", 0, 0));
        String copyLine = "[1/2] customers_7 w2→w4 copy ░░░░░░░░░░ 100 MiB / 1.0 GiB";
        String cutoverLine = "[1/2] customers_7 w2→w4 cutover";
        assertEquals("\r" + copyLine + "\r" + cutoverLine + " ".repeat(copyLine.length() - cutoverLine.length()), text.toString());
    }

    @Test
    void terminalErasesTheBarBeforeTheDoneLine() {
        MoveProgressDisplay display = display(true);
        display.progress(progress("cutover", 0, 0));
        display.done(report());
        String bar = "[1/2] customers_7 w2→w4 cutover";
        assertEquals("\r" + bar + "\r" + " ".repeat(bar.length()) + "\r"
                + "→ customers_7 moved w2→w4: 250,113 rows, 412 MiB, copy 38.2 s, write fence 41 ms" + System.lineSeparator(), text.toString());
    }

    @Test
    void clearWithNoBarPrintsNothingAndAClearedBarIsDrawnAgainAtOnce() {
        MoveProgressDisplay display = display(true);
        display.clear();
        assertEquals("", text.toString());
        display.progress(copy(100));
        display.clear();
        text.getBuffer().setLength(0);
        now += ms(10);
        display.progress(copy(101));
        assertEquals("\r[1/2] customers_7 w2→w4 copy ░░░░░░░░░░ 101 MiB / 1.0 GiB", text.toString());
    }

    @Test
    void logGetsPlainLinesEveryFewSecondsAndOnEveryPhaseChange() {
        MoveProgressDisplay display = display(false);
        display.progress(copy(100));
        for (int tick = 1; tick <= 30; tick++) {
            now += ms(200);
            display.progress(copy(100 + tick));
        }
        display.progress(progress("catch-up", 1024 * MIB, 1024 * MIB));
        now += ms(10);
        display.progress(progress("cutover", 1024 * MIB, 1024 * MIB));
        display.done(report());
        String newline = System.lineSeparator();
        assertEquals("[1/2] customers_7 w2→w4 copy 9% 100 MiB / 1.0 GiB" + newline
                + "[1/2] customers_7 w2→w4 copy 12% 125 MiB / 1.0 GiB" + newline
                + "[1/2] customers_7 w2→w4 catch-up 100% 1.0 GiB / 1.0 GiB" + newline
                + "[1/2] customers_7 w2→w4 cutover 100% 1.0 GiB / 1.0 GiB" + newline
                + "→ customers_7 moved w2→w4: 250,113 rows, 412 MiB, copy 38.2 s, write fence 41 ms" + newline, text.toString());
    }

    @Test
    void logNeverGetsAControlCharacterEvenWhenColourIsAsked() {
        MoveProgressDisplay display = new MoveProgressDisplay(new PrintWriter(text), false, true, () -> now);
        display.plan(PLAN);
        display.progress(copy(100));
        display.clear();
        display.done(report());
        assertFalse(text.toString().replace(System.lineSeparator(), "").chars().anyMatch(Character::isISOControl), text.toString());
    }

    @Test
    void theNextMoveIsShownAtOnce() {
        MoveProgressDisplay display = display(false);
        display.progress(copy(100));
        now += ms(10);
        display.progress(new MoveProgress("move-primary:customers_8", "customers_8 will be moved from w1 to w3", 2, 2, "copy", 0, MIB,
                Optional.empty()));
        assertEquals("[1/2] customers_7 w2→w4 copy 9% 100 MiB / 1.0 GiB" + System.lineSeparator()
                + "[2/2] customers_8 will be moved from w1 to w3 copy 0% 0 B / 1 MiB" + System.lineSeparator(), text.toString());
    }

    @Test
    void terminalListsEveryRunningMoveOnItsLineAndGoesBackToOneBarWhenTheOthersAreDone() {
        MoveProgressDisplay display = display(true);
        display.progress(progress("cutover", 0, 0));
        now += ms(1);
        display.progress(move(8, "copy", 100 * MIB, 400 * MIB));
        String several = "2 moves: [1/2] cutover · [2/2] copy 25%";
        assertEquals("\r[1/2] customers_7 w2→w4 cutover\r" + several, text.toString());
        text.getBuffer().setLength(0);
        display.done(report());
        now += ms(1);
        display.progress(move(8, "catch-up", 400 * MIB, 400 * MIB));
        assertEquals("\r" + " ".repeat(several.length()) + "\r"
                + "→ customers_7 moved w2→w4: 250,113 rows, 412 MiB, copy 38.2 s, write fence 41 ms" + System.lineSeparator()
                + "\r[2/2] customers_8 will be moved from w1 … catch-up ██████████ 400 MiB / 400 MiB", text.toString());
    }

    @Test
    void logThrottlesEachOfSeveralMovesOnItsOwn() {
        MoveProgressDisplay display = display(false);
        display.progress(copy(100));
        display.progress(move(8, "copy", 0, 400 * MIB));
        for (int tick = 1; tick <= 5; tick++) {
            now += ms(200);
            display.progress(copy(100 + tick));
            display.progress(move(8, "copy", tick * MIB, 400 * MIB));
        }
        display.progress(move(8, "catch-up", 400 * MIB, 400 * MIB));
        String newline = System.lineSeparator();
        assertEquals("[1/2] customers_7 w2→w4 copy 9% 100 MiB / 1.0 GiB" + newline
                + "[2/2] customers_8 will be moved from w1 to w3 copy 0% 0 B / 400 MiB" + newline
                + "[2/2] customers_8 will be moved from w1 to w3 catch-up 100% 400 MiB / 400 MiB" + newline, text.toString());
    }

    @Test
    void severalMovesThatDoNotFitOnOneLineAreCounted() {
        List<MoveProgress> moves = java.util.stream.IntStream.rangeClosed(1, 12)
                .mapToObj(unit -> new MoveProgress("move-primary:t_" + unit, "t_" + unit, unit, 96, "catch-up", 10, 100, Optional.empty()))
                .toList();
        String line = MoveProgressLines.several(moves);
        assertEquals(true, line.length() <= MoveProgressLines.TERMINAL_COLUMNS, line);
        assertEquals(true, line.startsWith("12 moves: [1/96] catch-up 10% · [2/96] catch-up 10%"), line);
        assertEquals(true, line.endsWith(" more"), line);
    }

    private MoveProgressDisplay display(boolean terminal) {
        MoveProgressDisplay display = new MoveProgressDisplay(new PrintWriter(text), terminal, false, () -> now);
        display.plan(PLAN);
        return display;
    }

    private static long ms(long millis) {
        return millis * 1_000_000;
    }

    private static MoveProgress move(int index, String phase, long copied, long total) {
        return new MoveProgress("move-primary:customers_" + index, "customers_" + index + " will be moved from w1 to w3", 2, 2, phase, copied,
                total, Optional.empty());
    }

    private static MoveProgress copy(long mebibytes) {
        return progress("copy", mebibytes * MIB, 1024 * MIB);
    }

    private static MoveProgress progress(String phase, long copied, long total) {
        return new MoveProgress("move-primary:customers_7", "customers_7 will be moved from w2 to w4", 1, 2, phase, copied, total, Optional.empty());
    }

    private static MoveReport report() {
        return new MoveReport("move-primary:customers_7", "customers_7 will be moved from w2 to w4", 250_113, 412 * MIB,
                Duration.ofMillis(38_200), Duration.ofMillis(41));
    }
}
