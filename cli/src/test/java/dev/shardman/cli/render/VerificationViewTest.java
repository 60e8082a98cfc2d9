package dev.shardman.cli.render;

import dev.shardman.applier.verify.Comparison;
import dev.shardman.applier.verify.ReadError;
import dev.shardman.applier.verify.SourceFigure;
import dev.shardman.applier.verify.TableChecksum;
import dev.shardman.applier.verify.VerificationReport;
import dev.shardman.cli.render.VerificationView;
import dev.shardman.cli.testkit.CliRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationViewTest {
    private static final TableChecksum PRIMARY = new TableChecksum(250, "123");
    private static final TableChecksum SHORT = new TableChecksum(249, "77");

    @Test
    void textNamesTheMismatchWithBothNodesAndFiguresAndTheErrors() {
        VerificationReport report = new VerificationReport("test", "l", 9,
                List.of(new SourceFigure(Comparison.Kind.REPLICA, "customers", "customers_3", "w1", PRIMARY),
                        new SourceFigure(Comparison.Kind.REPLICA, "customers", "customers_4", "w2", new TableChecksum(1, "5"))),
                List.of(new Comparison(Comparison.Kind.REPLICA, "customers", "customers_3", "w1", PRIMARY, "w2", SHORT, 3, ""),
                        new Comparison(Comparison.Kind.REPLICA, "customers", "customers_4", "w2", new TableChecksum(1, "5"), "w3",
                                new TableChecksum(1, "5"), 1, "")),
                List.of(new ReadError("w4", "the node", "cannot connect to node w4 (host=h port=1)")));
        assertEquals("""
                Read at metadata serial 9:
                  customers: 251 rows in 2 source copies
                Mismatches:
                  customers_3 (replica on w2): primary on w1 has 250 rows, checksum 123; replica on w2 has 249 rows, checksum 77 (3 attempts)
                Could not read:
                  w4: the node: cannot connect to node w4 (host=h port=1)
                2 copies compared with their sources: 1 match, 1 differ; 1 read failed.
                """, VerificationView.text(report));
        String json = VerificationView.json(report);
        assertTrue(json.contains("\"consistent\" : false"), json);
        assertTrue(json.contains("\"summary\" : {\n    \"sources\" : 2,\n    \"rows\" : 251,\n    \"compared\" : 2,\n    \"mismatched\" : 1,\n    \"errors\" : 1"), json);
    }

    @Test
    void helpDocumentsTheJsonShapeAndExitCodes() {
        CliRun help = CliRun.of("verify", "--help");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().contains("\"comparisons\": [{\"kind\": \"replica\"|\"shared copy\"") && help.out().contains("exit 0 all match, 2 a mismatch"),
                help.out());
    }
}
