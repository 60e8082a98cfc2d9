package dev.shardman.cli.render;

import dev.shardman.applier.exec.ExecOutcome;
import dev.shardman.applier.exec.ExecReport;
import dev.shardman.applier.exec.TargetOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExecViewTest {
    @Test
    void rowsAreShownUnderTheirTargetAndCountsBesideIt() {
        ExecReport report = new ExecReport(false, List.of(
                new TargetOutcome("w1", ExecOutcome.OK, "", OptionalLong.empty(), List.of("extname", "extversion"),
                        List.of(List.of("plpgsql", "1.0"), List.of("postgres_fdw", "1.1")), 7),
                new TargetOutcome("w2", ExecOutcome.OK, "", OptionalLong.of(3), List.of(), List.of(), 0),
                new TargetOutcome("w3", ExecOutcome.FAILED, "ERROR: relation \"t\" does not exist", OptionalLong.empty(), List.of(), List.of(), 0)));

        assertEquals("""
                w1: ok, 7 rows
                    extname | extversion
                    plpgsql | 1.0
                    postgres_fdw | 1.1
                    (5 more)
                w2: ok, 3 rows affected
                w3: failed: ERROR: relation "t" does not exist
                Ran on 3 targets: 2 ok, 1 failed.
                """, ExecView.text(report));
    }

    @Test
    void aTwoPhaseRunWhoseCommitIsPendingSaysToRunRecover() {
        ExecReport report = new ExecReport(true, List.of(
                new TargetOutcome("w1", ExecOutcome.COMMITTED, "", OptionalLong.empty(), List.of(), List.of(), 0),
                new TargetOutcome("w2", ExecOutcome.COMMIT_PENDING, "COMMIT PREPARED failed (connection lost); the decision is commit: "
                        + "run shardman recover to finish it", OptionalLong.empty(), List.of(), List.of(), 0)));

        assertEquals("Two-phase commit on 2 targets: 1 committed, 1 commit pending; the decision is commit: run shardman recover to finish it.",
                ExecView.text(report).lines().toList().get(2));
    }
}
