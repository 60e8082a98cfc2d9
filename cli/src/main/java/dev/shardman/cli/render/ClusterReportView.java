package dev.shardman.cli.render;

import dev.shardman.applier.execute.ClusterReport;
import dev.shardman.applier.execute.ClusterReport.Copy;
import dev.shardman.applier.execute.ClusterReport.Role;
import dev.shardman.applier.execute.StatusReport;
import dev.shardman.applier.replication.ChannelStatus;
import dev.shardman.templates.Templates;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code report --html}: the cluster as one self-contained XHTML page (no external CSS, script or font), laid out by
 * {@code templates/html/report.html.ftl} from the flat {@link Page} built here. The template's XHTML output format
 * escapes every value, so node and table names (user text) can never become markup.
 */
public final class ClusterReportView {
    static final String TEMPLATE = "html/report.html.ftl";
    private static final String UNKNOWN_SIZE = "?";

    private ClusterReportView() {
    }

    public static String html(ClusterReport report, Instant generatedAt) {
        return Templates.shared().render(TEMPLATE, Map.of("page", page(report, generatedAt)));
    }

    /** Everything the page shows, display-ready; ordered as the metadata orders nodes and tables. */
    public record Page(String cluster, String lineage, long serial, String generatedAt, List<NodeRow> nodes, List<TableColumn> tables,
                       List<MatrixRow> matrix, List<ChannelRow> channels, boolean inSync, List<DriftReportView.Section> drift,
                       String lockHolder, String oldLockHolder, String lastApply, String lastApplyError, List<String> notes) {
        public Page {
            nodes = List.copyOf(nodes);
            tables = List.copyOf(tables);
            matrix = List.copyOf(matrix);
            channels = List.copyOf(channels);
            drift = List.copyOf(drift);
            notes = List.copyOf(notes);
        }
    }

    /** {@code state} is {@code reachable}, {@code unreachable} or {@code lost}; {@code sizeNote} why the sizes are missing. */
    public record NodeRow(String name, String replicationGroup, String state, String version, int primaries, int replicas, String size, String sizeNote) {
    }

    /** {@code shape}: partitions and redundancy, or a shared table's master and copies; {@code size}: its primaries (or master) summed. */
    public record TableColumn(String name, String type, String shape, String size) {
    }

    /** One node's row of the nodes × tables matrix: one cell per table, in the order of {@link Page#tables()}. */
    public record MatrixRow(String node, String state, List<List<Entry>> cells) {
        public MatrixRow {
            cells = cells.stream().map(List::copyOf).toList();
        }
    }

    /** One copy in a cell: {@code p3} (primary of partition 3), {@code r3} (replica), {@code master} or {@code copy}; {@code role} is a CSS class. */
    public record Entry(String label, String role, String size, String title) {
    }

    public record ChannelRow(String source, String destination, String subscription, String state, boolean streaming, String lagBytes,
                             String lagSeconds, String initialSync) {
    }

    static Page page(ClusterReport report, Instant generatedAt) {
        StatusReport status = report.status();
        List<TableColumn> tables = status.tables().stream().map(table -> tableColumn(table, report.copies())).toList();
        List<NodeRow> nodes = status.nodes().stream().map(node -> nodeRow(node, report)).toList();
        List<MatrixRow> matrix = status.nodes().stream().map(node -> new MatrixRow(node.name(), state(node),
                status.tables().stream().map(table -> entries(report.copies(), node.name(), table.name())).toList())).toList();
        List<String> notes = new java.util.ArrayList<>(report.notes());
        notes.addAll(status.warnings());
        return new Page(status.cluster(), status.lineage(), status.serial(), generatedAt.truncatedTo(ChronoUnit.SECONDS).toString(), nodes, tables,
                matrix, status.channels().stream().map(ClusterReportView::channelRow).toList(), report.drift().inSync(),
                DriftReportView.sections(report.drift()), status.lockHolder().orElse("free"), report.drift().oldLockHolder().orElse(""),
                lastApply(status), status.lastApply().flatMap(StatusReport.LastApply::error).orElse(""), notes);
    }

    private static String state(StatusReport.Node node) {
        return node.lost() ? "lost" : node.reachable() ? "reachable" : "unreachable";
    }

    private static NodeRow nodeRow(StatusReport.Node node, ClusterReport report) {
        String sizeNote = Optional.ofNullable(report.sizeFailures().get(node.name()))
                .orElse(node.reachable() || node.lost() ? "" : "not asked: the node did not answer status");
        return new NodeRow(node.name(), node.replicationGroup(), state(node), node.serverVersion(), node.primaries(), node.replicas(),
                total(report.copies(), copy -> copy.node().equals(node.name())), sizeNote);
    }

    private static TableColumn tableColumn(StatusReport.Table table, List<Copy> copies) {
        String shape = table.type().equals("shared")
                ? "master " + table.master().orElse("(none)") + ", copies on " + (table.copies().isEmpty() ? "no other node" : String.join(", ", table.copies()))
                : table.partitions() + " partitions, redundancy " + table.redundancy();
        return new TableColumn(table.name(), table.type(), shape, total(copies, copy -> copy.table().equals(table.name())
                && (copy.role() == Role.PRIMARY || copy.role() == Role.SHARED_MASTER)));
    }

    /** The sum of the sizes read, marked with {@code +?} when some of them could not be read. */
    private static String total(List<Copy> copies, Predicate<Copy> which) {
        List<Copy> chosen = copies.stream().filter(which).toList();
        if (chosen.isEmpty()) {
            return "";
        }
        long known = chosen.stream().flatMap(copy -> copy.bytes().stream()).mapToLong(Long::longValue).sum();
        boolean complete = chosen.stream().allMatch(copy -> copy.bytes().isPresent());
        return chosen.stream().anyMatch(copy -> copy.bytes().isPresent()) ? MoveFigures.bytes(known) + (complete ? "" : " +" + UNKNOWN_SIZE) : UNKNOWN_SIZE;
    }

    private static List<Entry> entries(List<Copy> copies, String node, String table) {
        return copies.stream().filter(copy -> copy.node().equals(node) && copy.table().equals(table)).map(ClusterReportView::entry).toList();
    }

    private static Entry entry(Copy copy) {
        String size = copy.bytes().map(MoveFigures::bytes).orElse(UNKNOWN_SIZE);
        String role = copy.role().name().toLowerCase(Locale.ROOT).replace('_', '-');
        String label = switch (copy.role()) {
            case PRIMARY -> "p" + copy.partition().orElseThrow();
            case REPLICA -> "r" + copy.partition().orElseThrow();
            case SHARED_MASTER -> "master";
            case SHARED_COPY -> "copy";
        };
        return new Entry(label, role, size, copy.relation() + " on " + copy.node() + ": " + role.replace('-', ' ') + ", " + size);
    }

    private static ChannelRow channelRow(ChannelStatus channel) {
        return new ChannelRow(channel.source(), channel.destination(), channel.subscription(), channel.state(), channel.state().equals("streaming"),
                channel.lagBytes().map(MoveFigures::bytes).orElse("-"),
                channel.lagSeconds().map(seconds -> String.format(Locale.ROOT, "%.3f s", seconds)).orElse("-"),
                channel.tablesReady().map(String::valueOf).orElse("?") + "/" + channel.tables());
    }

    private static String lastApply(StatusReport status) {
        return status.lastApply().map(last -> "plan " + last.planId() + ": " + last.done() + " of " + last.steps() + " steps done"
                + (last.failed() > 0 ? ", " + last.failed() + " failed" : "") + ", started " + last.startedAt()
                + (last.finishedAt().isEmpty() ? "" : ", finished " + last.finishedAt())).orElse("none");
    }
}
