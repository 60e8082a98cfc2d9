package dev.shardman.cli.render;

import dev.shardman.applier.exec.ExecOutcome;
import dev.shardman.applier.exec.ExecReport;
import dev.shardman.applier.exec.TargetOutcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * exec output: one line per target (and its first rows, if it returned any), then a summary. JSON schema
 * (format_version "1"), also in {@code shardman exec --help}:
 * <pre>
 * {"format_version": "1", "two_phase": true, "succeeded": false,
 *  "targets": [{"target": "w1", "outcome": "ok"|"committed"|"rolled back"|"commit pending"|"failed"|"refused"|"unreachable",
 *               "message": "", "rows_affected": 3|null, "columns": ["id"], "rows": [["1"]], "row_count": 1}]}
 * </pre>
 * {@code succeeded} is true exactly when every target's outcome is ok or committed.
 */
public final class ExecView {
    public static final String FORMAT_VERSION = "1";

    private ExecView() {
    }

    public static String text(ExecReport report) {
        StringBuilder text = new StringBuilder();
        for (TargetOutcome target : report.outcomes()) {
            text.append(target.target()).append(": ").append(target.outcome().label()).append(detail(target)).append('\n');
            if (!target.columns().isEmpty() && target.rowCount() > 0) {
                text.append("    ").append(String.join(" | ", target.columns())).append('\n');
                target.firstRows().forEach(row -> text.append("    ").append(String.join(" | ", row)).append('\n'));
                if (target.rowCount() > target.firstRows().size()) {
                    text.append("    (").append(target.rowCount() - target.firstRows().size()).append(" more)\n");
                }
            }
        }
        return text.append(summary(report)).append('\n').toString();
    }

    public static String json(ExecReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("two_phase", report.twoPhase());
        root.put("succeeded", report.succeeded());
        root.put("targets", report.outcomes().stream().map(ExecView::target).toList());
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> target(TargetOutcome target) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target.target());
        json.put("outcome", target.outcome().label());
        json.put("message", target.message());
        json.put("rows_affected", target.rowsAffected().isPresent() ? target.rowsAffected().getAsLong() : null);
        json.put("columns", target.columns());
        json.put("rows", target.firstRows());
        json.put("row_count", target.rowCount());
        return json;
    }

    private static String detail(TargetOutcome target) {
        if (!target.message().isEmpty()) {
            return ": " + target.message();
        }
        if (target.rowsAffected().isPresent()) {
            return ", " + rows(target.rowsAffected().getAsLong()) + " affected";
        }
        return target.columns().isEmpty() ? "" : ", " + rows(target.rowCount());
    }

    private static String summary(ExecReport report) {
        Map<String, Long> counts = report.outcomes().stream()
                .collect(Collectors.groupingBy(target -> target.outcome().label(), LinkedHashMap::new, Collectors.counting()));
        String tally = counts.entrySet().stream().map(count -> count.getValue() + " " + count.getKey()).collect(Collectors.joining(", "));
        String targets = report.outcomes().size() + (report.outcomes().size() == 1 ? " target" : " targets");
        if (!report.twoPhase()) {
            return "Ran on " + targets + ": " + tally + ".";
        }
        return report.succeeded() ? "Two-phase commit on " + targets + ": committed everywhere."
                : "Two-phase commit on " + targets + ": " + tally + "; " + (committedAnywhere(report.outcomes())
                        ? "the decision is commit: run shardman recover to finish it." : "nothing was applied.");
    }

    private static boolean committedAnywhere(List<TargetOutcome> outcomes) {
        return outcomes.stream().anyMatch(target -> target.outcome() == ExecOutcome.COMMITTED || target.outcome() == ExecOutcome.COMMIT_PENDING);
    }

    private static String rows(long count) {
        return count + (count == 1 ? " row" : " rows");
    }
}
