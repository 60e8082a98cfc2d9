package dev.shardman.applier.execute;

import dev.shardman.applier.objects.DriftCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DriftFoldTest {
    private static final DriftReport.Drift OTHER = new DriftReport.Drift("w2", "server", DriftCode.OTHER_SERVER, "w2 is not the server registered as w2");
    private static final DriftReport.Drift MISSING_ON_W2 = new DriftReport.Drift("w2", "table customers_1", DriftCode.MISSING, "missing");
    private static final DriftReport.Drift CHANNEL_ON_W2 = new DriftReport.Drift("w2", "publication shardman_pub_1", DriftCode.MISSING, "missing");
    private static final DriftReport.Drift MISSING_ON_W1 = new DriftReport.Drift("w1", "table customers_2", DriftCode.MISSING, "missing");

    @Test
    void theFindingsOnAReplacedServerAreCountedInItsOneFinding() {
        List<DriftReport.Drift> folded = DriftCheck.foldOtherServers(List.of(MISSING_ON_W1, OTHER, MISSING_ON_W2, CHANNEL_ON_W2));

        assertEquals(List.of(MISSING_ON_W1, new DriftReport.Drift("w2", "server", DriftCode.OTHER_SERVER,
                "w2 is not the server registered as w2 (2 more finding(s) on w2 follow from it and are not listed)")), folded);
    }

    @Test
    void findingsAreKeptAsTheyAreWhenNoNodeReachesAnotherServer() {
        List<DriftReport.Drift> drift = List.of(MISSING_ON_W1, MISSING_ON_W2);

        assertEquals(drift, DriftCheck.foldOtherServers(drift));
        assertEquals(List.of(OTHER), DriftCheck.foldOtherServers(List.of(OTHER)), "nothing to count: the finding is unchanged");
    }
}
