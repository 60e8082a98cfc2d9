package dev.shardman.cli.render;

import dev.shardman.applier.execute.DriftReport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * drift-check output. JSON schema (format_version "1"):
 * <pre>
 * {"format_version": "1", "cluster": "demo", "lineage": "...", "serial": 5, "in_sync": false,
 *  "pending":     [{"id": "create-index:orders.x", "action": "create", "description": "..."}],
 *  "spec_edits":  ["shardman monitor failed node w1 over at 2026-...: ... mark it lost: true in the spec (or remove it) ..."],
 *  "drift":       [{"node": "w1", "object": "foreign partition public.customers_1_fdw", "code": "missing", "problem": "... is missing"}],
 *  "unreachable": [{"node": "w2", "reason": "..."}],
 *  "prepared_transactions": [{"node": "w1", "gid": "shardman_...", "prepared_at": "2026-..."}],
 *  "old_lock_holder": "apply of root@host pid 12 since 10:31:02 UTC" | null,
 *  "warnings": ["..."]}
 * </pre>
 * in_sync is true exactly when pending, spec_edits, drift, unreachable and prepared_transactions are all empty.
 */
public final class DriftReportView {
    public static final String FORMAT_VERSION = "1";

    private DriftReportView() {
    }

    public static String json(DriftReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("cluster", report.cluster());
        root.put("lineage", report.lineage());
        root.put("serial", report.serial());
        root.put("in_sync", report.inSync());
        root.put("pending", report.pending().stream().map(step -> map("id", step.id(), "action", step.action(), "description", step.description())).toList());
        root.put("spec_edits", report.specEdits());
        root.put("drift", report.drift().stream().map(drift -> map("node", drift.node(), "object", drift.object(), "code", drift.code().code(), "problem", drift.problem())).toList());
        root.put("unreachable", report.unreachable().stream().map(node -> map("node", node.node(), "reason", node.reason())).toList());
        root.put("prepared_transactions", report.leftoverPrepared().stream()
                .map(prepared -> map("node", prepared.node(), "gid", prepared.gid(), "prepared_at", prepared.preparedAt())).toList());
        root.put("old_lock_holder", report.oldLockHolder().orElse(null));
        root.put("warnings", report.warnings());
        return Json.write(root) + "\n";
    }

    public static String text(DriftReport report) {
        StringBuilder text = new StringBuilder();
        if (report.inSync()) {
            text.append("In sync: the nodes match the metadata (serial ").append(report.serial()).append(") and the metadata matches the spec.\n");
        }
        for (Section section : sections(report)) {
            text.append(section.title()).append('\n');
            section.lines().forEach(line -> text.append("  ").append(line).append('\n'));
        }
        report.oldLockHolder().ifPresent(holder -> text.append("The cluster lock has been held for long: ").append(holder).append('\n'));
        return text.toString();
    }

    /** A heading and its findings, one line each; what the text and the HTML report both show. */
    public record Section(String title, List<String> lines) {
        public Section {
            lines = List.copyOf(lines);
        }
    }

    /** The non-empty kinds of finding, in the order the text prints them (the old lock holder aside). */
    public static List<Section> sections(DriftReport report) {
        List<Section> sections = new java.util.ArrayList<>();
        section(sections, "Pending changes (run shardman apply):", report.pending().stream().map(step -> step.id() + ": " + step.description()).toList());
        section(sections, "The spec lags behind the metadata (edit the spec; nothing is undone):", report.specEdits());
        section(sections, "Drift on the nodes (run shardman recover):", report.drift().stream()
                .map(drift -> drift.node() + ": " + drift.object() + ": " + drift.problem()).toList());
        section(sections, "Unreachable nodes:", report.unreachable().stream().map(node -> node.node() + ": " + node.reason()).toList());
        section(sections, "Prepared transactions left behind (run shardman recover):", report.leftoverPrepared().stream()
                .map(prepared -> prepared.node() + ": " + prepared.gid() + " since " + prepared.preparedAt()).toList());
        return List.copyOf(sections);
    }

    private static void section(List<Section> sections, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            sections.add(new Section(title, lines));
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int index = 0; index < keysAndValues.length; index += 2) {
            map.put((String) keysAndValues[index], keysAndValues[index + 1]);
        }
        return map;
    }
}
