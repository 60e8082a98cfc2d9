package dev.shardman.cli.render;

import dev.shardman.applier.execute.StatusReport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * status output. JSON schema (format_version "1"): {@code {"format_version": "1", "cluster", "lineage",
 * "serial", "nodes": [{"name", "id", "replication_group", "lost", "reachable", "server_version",
 * "primaries", "replicas"}], "tables": [{"name", "type", "partitions", "redundancy",
 * "master": string|null (shared tables), "copies": [node names] (shared tables: every live node but the master)}],
 * "lock_holder": string|null, "last_apply": {"plan_id", "started_at", "finished_at", "steps", "done",
 * "failed", "error"}|null, "warnings": [...], "channels": [{"source", "destination", "subscription",
 * "state" (walsender state on the source, or "down"), "lag_bytes": number|null, "lag_seconds": number|null,
 * "tables_ready", "tables", "destination_read" (false: the destination could not be read, tables_ready 0 is no count)}]}}.
 */
public final class StatusView {
    private StatusView() {
    }

    public static String json(StatusReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", "1");
        root.put("cluster", report.cluster());
        root.put("lineage", report.lineage());
        root.put("serial", report.serial());
        root.put("nodes", report.nodes().stream().map(node -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", node.name());
            map.put("id", node.id());
            map.put("replication_group", node.replicationGroup());
            map.put("lost", node.lost());
            map.put("reachable", node.reachable());
            map.put("server_version", node.serverVersion());
            map.put("primaries", node.primaries());
            map.put("replicas", node.replicas());
            return map;
        }).toList());
        root.put("tables", report.tables().stream().map(table -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", table.name());
            map.put("type", table.type());
            map.put("partitions", table.partitions());
            map.put("redundancy", table.redundancy());
            map.put("master", table.master().orElse(null));
            map.put("copies", table.copies());
            return map;
        }).toList());
        root.put("lock_holder", report.lockHolder().orElse(null));
        root.put("last_apply", report.lastApply().map(last -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("plan_id", last.planId());
            map.put("started_at", last.startedAt());
            map.put("finished_at", last.finishedAt());
            map.put("steps", last.steps());
            map.put("done", last.done());
            map.put("failed", last.failed());
            map.put("error", last.error().orElse(null));
            return map;
        }).orElse(null));
        root.put("warnings", report.warnings());
        root.put("channels", report.channels().stream().map(channel -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("source", channel.source());
            item.put("destination", channel.destination());
            item.put("subscription", channel.subscription());
            item.put("state", channel.state());
            item.put("lag_bytes", channel.lagBytes().orElse(null));
            item.put("lag_seconds", channel.lagSeconds().orElse(null));
            // format 1 only gains keys: tables_ready stays a count (0 when unknown), destination_read says whether it is one
            item.put("tables_ready", channel.tablesReady().orElse(0));
            item.put("tables", channel.tables());
            item.put("destination_read", channel.tablesReady().isPresent());
            return item;
        }).toList());
        return Json.write(root) + "\n";
    }

    private static String tableLine(StatusReport.Table table) {
        if (table.type().equals("shared")) {
            return String.format(Locale.ROOT, "  %-20s %-8s master %s, copies on %s%n", table.name(), table.type(), table.master().orElse("(none)"),
                    table.copies().isEmpty() ? "no other node" : String.join(", ", table.copies()));
        }
        return String.format(Locale.ROOT, "  %-20s %-8s %3d partitions, redundancy %d%n", table.name(), table.type(), table.partitions(),
                table.redundancy());
    }

    public static String text(StatusReport report) {
        StringBuilder text = new StringBuilder();
        if (report.lineage().isEmpty()) {
            return "Cluster " + report.cluster() + ": not created yet (run shardman apply).\n";
        }
        text.append("Cluster ").append(report.cluster()).append(" at serial ").append(report.serial())
                .append(" (lineage ").append(report.lineage()).append(")\n\nNodes:\n");
        for (StatusReport.Node node : report.nodes()) {
            text.append(String.format(Locale.ROOT, "  %-10s %-11s group %-8s %-22s %3d primaries, %d replicas%n", node.name(),
                    node.lost() ? "lost" : node.reachable() ? "reachable" : "UNREACHABLE", node.replicationGroup(),
                    node.serverVersion().isEmpty() ? "" : "PostgreSQL " + node.serverVersion(), node.primaries(), node.replicas()));
        }
        text.append("\nTables:\n");
        report.tables().forEach(table -> text.append(tableLine(table)));
        if (!report.channels().isEmpty()) {
            text.append("\nReplication channels:\n");
            report.channels().forEach(channel -> text.append("  ").append(channel.describe()).append('\n'));
        }
        text.append("\nLock: ").append(report.lockHolder().orElse("free")).append('\n');
        report.lastApply().ifPresentOrElse(last -> text.append("Last apply: ").append(last.done()).append(" of ").append(last.steps())
                        .append(" steps done").append(last.failed() > 0 ? ", " + last.failed() + " failed" : "")
                        .append(", started ").append(last.startedAt()).append(last.finishedAt().isEmpty() ? "" : ", finished " + last.finishedAt())
                        .append(last.error().map(error -> "\n  error: " + error).orElse("")).append('\n'),
                () -> text.append("Last apply: none\n"));
        return text.toString();
    }
}
