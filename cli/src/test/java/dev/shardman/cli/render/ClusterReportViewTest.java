package dev.shardman.cli.render;

import dev.shardman.applier.execute.ClusterReport.Copy;
import dev.shardman.applier.execute.ClusterReport.Role;
import dev.shardman.applier.execute.ClusterReport;
import dev.shardman.applier.execute.DriftReport;
import dev.shardman.applier.execute.StatusReport;
import dev.shardman.applier.replication.ChannelStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterReportViewTest {
    /** Legal in the spec (any text without control characters), and markup if it were not escaped. */
    private static final String ODD_TABLE = "a<b&c\"d'e";
    private static final String ODD_NODE = "w<2>&";

    private static ClusterReport report() {
        StatusReport status = new StatusReport("demo", "lineage-1", 7,
                List.of(new StatusReport.Node("w1", 1, "rg1", false, true, "17.6", 1, 1),
                        new StatusReport.Node(ODD_NODE, 2, "rg1", false, false, "", 1, 1)),
                List.of(new StatusReport.Table(ODD_TABLE, "sharded", 2, 1, Optional.empty(), List.of()),
                        new StatusReport.Table("countries", "shared", 0, 0, Optional.of("w1"), List.of(ODD_NODE))),
                Optional.empty(), Optional.of(new StatusReport.LastApply("plan-1", "2026-12-05T00:00:00Z", "2026-12-05T00:00:09Z", 9, 8, 1,
                        Optional.of("boom <on> w1"))),
                List.of(), List.of(new ChannelStatus("w1", ODD_NODE, "shardman_1_2", "down", Optional.empty(), Optional.empty(), Optional.of(0), 2)));
        DriftReport drift = new DriftReport("demo", "lineage-1", 7, List.of(), List.of(), List.of(),
                List.of(new DriftReport.Unreachable(ODD_NODE, "connection refused")), List.of(), Optional.empty(), List.of());
        List<Copy> copies = List.of(
                new Copy(ODD_TABLE, OptionalInt.of(0), ODD_TABLE + "_0", "w1", Role.PRIMARY, Optional.of(16384L)),
                new Copy(ODD_TABLE, OptionalInt.of(0), ODD_TABLE + "_0", ODD_NODE, Role.REPLICA, Optional.empty()),
                new Copy(ODD_TABLE, OptionalInt.of(1), ODD_TABLE + "_1", ODD_NODE, Role.PRIMARY, Optional.empty()),
                new Copy(ODD_TABLE, OptionalInt.of(1), ODD_TABLE + "_1", "w1", Role.REPLICA, Optional.of(8192L)),
                new Copy("countries", OptionalInt.empty(), "countries", "w1", Role.SHARED_MASTER, Optional.of(2048L)),
                new Copy("countries", OptionalInt.empty(), "countries", ODD_NODE, Role.SHARED_COPY, Optional.empty()));
        return new ClusterReport(status, drift, copies, Map.of(), List.of());
    }

    @Test
    void namesAreEscapedAndThePageIsWellFormed() {
        String page = ClusterReportView.html(report(), Instant.parse("2026-12-05T01:02:03.456Z"));

        String text = XhtmlPage.text(page);
        assertTrue(text.contains(ODD_TABLE) && text.contains(ODD_NODE) && text.contains("countries"), text);
        assertTrue(page.contains("a&lt;b&amp;c&quot;d&#39;e"), page);
        assertFalse(page.contains(ODD_TABLE) || page.contains(ODD_NODE), "a raw name in the page");
        assertTrue(text.contains("boom <on> w1"), text);
    }

    @Test
    void selfContainedWithNothingFetched() {
        String page = ClusterReportView.html(report(), Instant.EPOCH);

        assertFalse(page.contains("<script") || page.contains("<link") || page.contains("src=") || page.contains("@import")
                || page.contains("url("), page);
    }

    @Test
    void anUnreachableNodeIsShownSoAndItsSizesAsUnknown() {
        ClusterReportView.Page page = ClusterReportView.page(report(), Instant.EPOCH);

        assertEquals("unreachable", page.nodes().get(1).state());
        assertEquals("?", page.nodes().get(1).size());
        assertEquals("not asked: the node did not answer status", page.nodes().get(1).sizeNote());
        assertEquals("26 KiB", page.nodes().get(0).size());
        // a table's size is its primaries' (one unread here); a shared table's is its master's
        assertEquals("16 KiB +?", page.tables().get(0).size());
        assertEquals("2 KiB", page.tables().get(1).size());
        List<ClusterReportView.Entry> w1Cell = page.matrix().get(0).cells().get(0);
        assertEquals(List.of("p0", "r1"), w1Cell.stream().map(ClusterReportView.Entry::label).toList());
        assertEquals("?", page.matrix().get(1).cells().get(0).get(0).size());
        assertEquals(List.of("Unreachable nodes:"), page.drift().stream().map(DriftReportView.Section::title).toList());
        assertEquals("plan plan-1: 8 of 9 steps done, 1 failed, started 2026-12-05T00:00:00Z, finished 2026-12-05T00:00:09Z", page.lastApply());
    }
}
