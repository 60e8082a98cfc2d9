package dev.shardman.cli.render;

import dev.shardman.applier.verify.Comparison;
import dev.shardman.applier.verify.SourceFigure;
import dev.shardman.applier.verify.TableChecksum;
import dev.shardman.applier.verify.VerificationReport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * verify output. JSON schema (format_version "1"), also in {@code shardman verify --help}:
 * <pre>
 * {"format_version": "1", "cluster": "demo", "lineage": "...", "serial": 7, "consistent": true,
 *  "summary": {"sources": 25, "rows": 4000, "compared": 25, "mismatched": 0, "errors": 0},
 *  "sources": [{"kind": "primary"|"master", "table": "customers", "name": "customers_0", "node": "w1", "rows": 83, "checksum": "-1234"}],
 *  "comparisons": [{"kind": "replica"|"shared copy", "table": "customers", "name": "customers_0", "match": true,
 *                   "source": {"node": "w1", "rows": 83, "checksum": "-1234"}, "copy": {"node": "w2", "rows": 83, "checksum": "-1234"},
 *                   "attempts": 1, "note": ""}],
 *  "errors": [{"node": "w3", "object": "the node", "reason": "cannot connect to node w3 (host=... port=...): ..."}]}
 * </pre>
 * {@code sources} lists every partition's primary (and shared table's master) read, in metadata order;
 * {@code rows} sums them. {@code consistent} is true exactly when every comparison matches and errors is empty.
 */
public final class VerificationView {
    public static final String FORMAT_VERSION = "1";

    private VerificationView() {
    }

    public static String json(VerificationReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", FORMAT_VERSION);
        root.put("cluster", report.cluster());
        root.put("lineage", report.lineage());
        root.put("serial", report.serial());
        root.put("consistent", report.consistent());
        root.put("summary", map("sources", report.sources().size(), "rows", totalRows(report), "compared", report.comparisons().size(),
                "mismatched", report.mismatches().size(), "errors", report.errors().size()));
        root.put("sources", report.sources().stream().map(source -> map("kind", source.kind().sourceRole(), "table", source.table(),
                "name", source.name(), "node", source.node(), "rows", source.figure().rows(), "checksum", source.figure().checksum())).toList());
        root.put("comparisons", report.comparisons().stream().map(comparison -> map("kind", comparison.kind().copyRole(),
                "table", comparison.table(), "name", comparison.name(), "match", comparison.matches(),
                "source", figure(comparison.sourceNode(), comparison.source()), "copy", figure(comparison.copyNode(), comparison.copy()),
                "attempts", comparison.attempts(), "note", comparison.note())).toList());
        root.put("errors", report.errors().stream().map(error -> map("node", error.node(), "object", error.object(), "reason", error.reason())).toList());
        return Json.write(root) + "\n";
    }

    public static String text(VerificationReport report) {
        StringBuilder text = new StringBuilder();
        Map<String, long[]> tables = new TreeMap<>();
        for (SourceFigure source : report.sources()) {
            long[] partitionsAndRows = tables.computeIfAbsent(source.table(), table -> new long[2]);
            partitionsAndRows[0]++;
            partitionsAndRows[1] += source.figure().rows();
        }
        text.append("Read at metadata serial ").append(report.serial()).append(":\n");
        tables.forEach((table, partitionsAndRows) -> text.append("  ").append(table).append(": ").append(partitionsAndRows[1])
                .append(partitionsAndRows[1] == 1 ? " row" : " rows").append(" in ").append(partitionsAndRows[0])
                .append(partitionsAndRows[0] == 1 ? " source copy" : " source copies").append('\n'));
        List<Comparison> mismatches = report.mismatches();
        if (!mismatches.isEmpty()) {
            text.append("Mismatches:\n");
            for (Comparison mismatch : mismatches) {
                text.append("  ").append(mismatch.name()).append(" (").append(mismatch.kind().copyRole()).append(" on ").append(mismatch.copyNode())
                        .append("): ").append(mismatch.kind().sourceRole()).append(" on ").append(mismatch.sourceNode()).append(" has ")
                        .append(mismatch.source()).append("; ").append(mismatch.kind().copyRole()).append(" on ").append(mismatch.copyNode())
                        .append(" has ").append(mismatch.copy()).append(" (").append(mismatch.attempts())
                        .append(mismatch.attempts() == 1 ? " attempt" : " attempts").append(')');
                if (!mismatch.note().isEmpty()) {
                    text.append("; ").append(mismatch.note());
                }
                text.append('\n');
            }
        }
        if (!report.errors().isEmpty()) {
            text.append("Could not read:\n");
            report.errors().forEach(error -> text.append("  ").append(error.node()).append(": ").append(error.object()).append(": ")
                    .append(error.reason()).append('\n'));
        }
        int compared = report.comparisons().size();
        text.append(compared).append(compared == 1 ? " copy compared with its source: " : " copies compared with their sources: ")
                .append(compared - mismatches.size()).append(" match, ").append(mismatches.size()).append(" differ");
        text.append(report.errors().isEmpty() ? ".\n" : "; " + report.errors().size() + (report.errors().size() == 1 ? " read failed.\n" : " reads failed.\n"));
        return text.toString();
    }

    private static long totalRows(VerificationReport report) {
        return report.sources().stream().mapToLong(source -> source.figure().rows()).sum();
    }

    private static Map<String, Object> figure(String node, TableChecksum checksum) {
        return map("node", node, "rows", checksum.rows(), "checksum", checksum.checksum());
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int index = 0; index < keysAndValues.length; index += 2) {
            map.put((String) keysAndValues[index], keysAndValues[index + 1]);
        }
        return map;
    }
}
