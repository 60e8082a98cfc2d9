package dev.shardman.cli.render;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MoveFiguresTest {
    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    @Test
    void bytesInWholeUnitsBelowAGibibyte() {
        assertEquals("0 B", MoveFigures.bytes(0));
        assertEquals("1023 B", MoveFigures.bytes(1023));
        assertEquals("1 KiB", MoveFigures.bytes(1024));
        assertEquals("412 MiB", MoveFigures.bytes(412 * MIB + 700 * 1024));
        assertEquals("1023 MiB", MoveFigures.bytes(GIB - 1));
    }

    @Test
    void bytesWithOneDecimalFromAGibibyte() {
        assertEquals("1.0 GiB", MoveFigures.bytes(GIB));
        // Rounded down: 1.96 GiB is not yet "2.0 GiB" copied.
        assertEquals("1.9 GiB", MoveFigures.bytes(GIB + 983 * MIB));
        assertEquals("2.0 TiB", MoveFigures.bytes(2048 * GIB));
    }

    @Test
    void etaAsMinutesAndSecondsOrHours() {
        assertEquals("0:42", MoveFigures.eta(Duration.ofSeconds(42)));
        assertEquals("12:05", MoveFigures.eta(Duration.ofSeconds(12 * 60 + 5)));
        assertEquals("1:02:03", MoveFigures.eta(Duration.ofSeconds(3723)));
        assertEquals("0:00", MoveFigures.eta(Duration.ZERO));
    }

    @Test
    void etaRoundsUpAPartSecond() {
        assertEquals("0:01", MoveFigures.eta(Duration.ofMillis(300)));
        assertEquals("1:00", MoveFigures.eta(Duration.ofMillis(59_001)));
    }

    @Test
    void rowsCopyAndFence() {
        assertEquals("250,113", MoveFigures.rows(250_113));
        assertEquals("38.2 s", MoveFigures.seconds(Duration.ofMillis(38_200)));
        assertEquals("41 ms", MoveFigures.fence(Duration.ofMillis(41)));
        assertEquals("12.3 s", MoveFigures.fence(Duration.ofMillis(12_300)));
    }
}
