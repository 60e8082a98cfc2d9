package dev.shardman.applier.monitor;

import dev.shardman.applier.objects.DriftCode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorMetricsTest {
    @Test
    void driftObjectsAreCountedPerCodeWithEveryCodePresent() {
        MonitorMetrics metrics = new MonitorMetrics();
        assertFalse(metrics.render().contains("shardman_drift_objects"), "no series before the first drift-check");

        metrics.driftObjects(Map.of(DriftCode.STALE_CONNECTION, 2L, DriftCode.MISSING, 1L));
        String text = metrics.render();
        assertTrue(text.contains("shardman_drift_objects{code=\"stale-connection\"} 2"), text);
        assertTrue(text.contains("shardman_drift_objects{code=\"missing\"} 1"), text);
        for (DriftCode code : DriftCode.values()) {
            assertTrue(text.contains("shardman_drift_objects{code=\"" + code.code() + "\"}"), code + " has a series: " + text);
        }
        assertTrue(text.contains("shardman_drift_objects{code=\"move-leftover\"} 0"), text);
    }
}
