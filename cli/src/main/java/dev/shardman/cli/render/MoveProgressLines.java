package dev.shardman.cli.render;

import dev.shardman.applier.move.MoveProgress;
import dev.shardman.applier.move.MoveReport;

import java.util.List;

/**
 * The text of the move lines, pure (no clock, no output):
 * <ul>
 *   <li>terminal: {@code [3/6] customers_7 w2→w4 copy ███████░░░ 412 MiB / 1.0 GiB  ETA 0:42}, at most
 *       {@link #TERMINAL_COLUMNS} columns (the label is shortened, since a wrapped line cannot be redrawn);</li>
 *   <li>plain (logs): {@code [3/6] customers_7 w2→w4 copy 40% 412 MiB / 1.0 GiB, ETA 0:42}, never a control
 *       character;</li>
 *   <li>after the move: {@code → customers_7 moved w2→w4: 250,113 rows, 412 MiB, copy 38.2 s, write fence 41 ms}.</li>
 * </ul>
 * A total of 0 bytes means unknown: no bar and no percentage, only the bytes copied; a phase with neither
 * (cutover, verify, cleanup) shows no figures at all.
 */
public final class MoveProgressLines {
    public static final int BAR_CELLS = 10;
    public static final int TERMINAL_COLUMNS = 79;
    private static final String GREEN = "\u001b[32m";
    private static final String CYAN = "\u001b[36m";
    private static final String RESET = "\u001b[0m";

    private MoveProgressLines() {
    }

    /** {@code cells} cells, full ({@code █}) for the share copied, rounded down (full only when done), the rest {@code ░}. */
    public static String bar(long copied, long total, int cells) {
        int full = filledCells(copied, total, cells);
        return "█".repeat(full) + "░".repeat(cells - full);
    }

    public static String terminal(MoveProgress progress, MoveLabel label, boolean color) {
        String head = counter(progress) + " ";
        boolean known = progress.bytesTotal() > 0;
        int full = filledCells(progress.bytesCopied(), progress.bytesTotal(), BAR_CELLS);
        String bar = known ? " " + bar(progress.bytesCopied(), progress.bytesTotal(), BAR_CELLS) : "";
        String amount = amount(progress);
        String rest = (amount.isEmpty() ? "" : " " + amount) + progress.eta().map(eta -> "  ETA " + MoveFigures.eta(eta)).orElse("");
        String phase = " " + progress.phase();
        String what = fit(label.progress(), TERMINAL_COLUMNS - head.length() - phase.length() - bar.length() - rest.length());
        if (color && known && full > 0) {
            bar = " " + GREEN + "█".repeat(full) + RESET + "░".repeat(BAR_CELLS - full);
        }
        return head + what + phase + bar + rest;
    }

    /**
     * Several moves running at once, on one terminal line: {@code 3 moves: [3/6] cutover · [4/6] catch-up 40% · [5/6] copy},
     * at most {@link #TERMINAL_COLUMNS} columns (the moves that do not fit are counted: {@code +2 more}).
     */
    public static String several(List<MoveProgress> moves) {
        StringBuilder line = new StringBuilder(moves.size() + " moves:");
        for (int index = 0; index < moves.size(); index++) {
            MoveProgress move = moves.get(index);
            String percent = move.bytesTotal() > 0 ? " " + percent(move.bytesCopied(), move.bytesTotal()) + "%" : "";
            String item = (index == 0 ? " " : " · ") + counter(move) + " " + move.phase() + percent;
            String more = " +" + (moves.size() - index) + " more";
            boolean last = index == moves.size() - 1;
            if (line.length() + item.length() + (last ? 0 : more.length()) > TERMINAL_COLUMNS) {
                return line + more;
            }
            line.append(item);
        }
        return line.toString();
    }

    public static String plain(MoveProgress progress, MoveLabel label) {
        String percent = progress.bytesTotal() > 0 ? percent(progress.bytesCopied(), progress.bytesTotal()) + "% " : "";
        String amount = amount(progress);
        return counter(progress) + " " + label.progress() + " " + progress.phase() + (amount.isEmpty() ? "" : " " + percent + amount)
                + progress.eta().map(eta -> ", ETA " + MoveFigures.eta(eta)).orElse("");
    }

    public static String done(MoveReport report, MoveLabel label, boolean color) {
        String arrow = color ? CYAN + "→" + RESET : "→";
        return arrow + " " + label.done() + ": " + MoveFigures.rows(report.rows()) + " rows, " + MoveFigures.bytes(report.bytes())
                + ", copy " + MoveFigures.seconds(report.copy()) + ", write fence " + MoveFigures.fence(report.writeFence());
    }

    private static String counter(MoveProgress progress) {
        return "[" + progress.unit() + "/" + progress.units() + "]";
    }

    /** Empty for a phase that counts no bytes (copied and total both 0: cutover, verify, cleanup). */
    private static String amount(MoveProgress progress) {
        if (progress.bytesCopied() <= 0 && progress.bytesTotal() <= 0) {
            return "";
        }
        String copied = MoveFigures.bytes(progress.bytesCopied());
        return progress.bytesTotal() > 0 ? copied + " / " + MoveFigures.bytes(progress.bytesTotal()) : copied;
    }

    private static int filledCells(long copied, long total, int cells) {
        if (total <= 0 || copied <= 0) {
            return 0;
        }
        if (copied >= total) {
            return cells;
        }
        return (int) Math.min(cells - 1, (long) Math.floor((double) copied / total * cells));
    }

    private static long percent(long copied, long total) {
        return copied >= total ? 100 : Math.min(99, Math.max(0, (long) Math.floor(100.0 * copied / total)));
    }

    /** The label cut to {@code columns} with an ellipsis (at least a few characters stay). */
    private static String fit(String text, int columns) {
        int room = Math.max(columns, 8);
        return text.length() <= room ? text : text.substring(0, room - 1) + "…";
    }
}
