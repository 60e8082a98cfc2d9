package dev.shardman.applier.execute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultHookTest {
    @TempDir
    Path directory;

    @Test
    void aPausePointWaitsForItsReleaseFileAndOtherPointsDoNot() throws Exception {
        Path release = directory.resolve("release");
        FaultHook hook = new FaultHook(Map.of("SHARDMAN_PAUSE", "create-sharded-table:t@before-node-work",
                "SHARDMAN_PAUSE_FILE", release.toString()));

        hook.at("create-sharded-table:t", FaultHook.BEFORE);
        hook.at("create-sharded-table:u", FaultHook.BEFORE_NODE_WORK);
        assertFalse(Files.exists(directory.resolve("release.waiting")), "other points do not pause");

        CompletableFuture<Void> paused = CompletableFuture.runAsync(() -> hook.at("create-sharded-table:t", FaultHook.BEFORE_NODE_WORK));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(directory.resolve("release.waiting"))) {
            assertTrue(System.nanoTime() < deadline, "the pause point was not reached");
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertFalse(paused.isDone(), "waits while the release file is absent");
        Files.writeString(release, "go");
        paused.get(30, TimeUnit.SECONDS);
    }
}
