package dev.shardman.cli.render;

import java.time.Duration;
import java.util.Locale;

/**
 * How the move lines write their figures: sizes in binary units ({@code 412 MiB}, {@code 1.0 GiB}), row
 * counts with thousands separators ({@code 250,113}), an ETA as {@code m:ss} or {@code h:mm:ss}, a copy
 * time in seconds with one decimal and a write fence in milliseconds. Always {@link Locale#ROOT}, so a log
 * reads the same on every machine.
 */
public final class MoveFigures {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private MoveFigures() {
    }

    /** Whole units below 1 GiB ({@code 512 B}, {@code 3 KiB}, {@code 412 MiB}), one decimal from 1 GiB on ({@code 1.0 GiB}). */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return Math.max(bytes, 0) + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        // Below GiB a decimal is noise in a progress line; above it, the only sign that the copy advances.
        if (unit < 2) {
            return (long) value + " " + UNITS[unit];
        }
        return String.format(Locale.ROOT, "%.1f %s", Math.floor(value * 10) / 10, UNITS[unit]);
    }

    /** {@code 0:42}, {@code 12:05}, {@code 1:02:03} (whole seconds, rounded up so that a nearly done move does not read 0:00). */
    public static String eta(Duration eta) {
        long seconds = Math.max(0, eta.toSeconds() + (eta.toNanosPart() > 0 ? 1 : 0));
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        if (hours > 0) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", minutes, seconds % 60);
    }

    /** {@code 250,113}. */
    public static String rows(long rows) {
        return String.format(Locale.ROOT, "%,d", rows);
    }

    /** {@code 38.2 s}. */
    public static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** {@code 41 ms} below ten seconds (a fence is short or something is wrong), {@code 12.3 s} above. */
    public static String fence(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(10)) < 0) {
            return duration.toMillis() + " ms";
        }
        return seconds(duration);
    }
}
