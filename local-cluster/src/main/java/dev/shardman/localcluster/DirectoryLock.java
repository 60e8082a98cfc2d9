package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises up/down on one cluster directory, across processes (a file lock on
 * {@code <directory>/.lock}) and across threads of this JVM (where a second file lock of the same
 * file would throw instead of waiting).
 */
final class DirectoryLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private DirectoryLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Runs {@code work} while holding the lock of {@code directory}. */
    static <T> T holding(Path directory, Supplier<T> work) {
        try (DirectoryLock lock = acquire(directory)) {
            lock.requireHeld();
            return work.get();
        }
    }

    private void requireHeld() {
        if (!fileLock.isValid()) {
            throw new IllegalStateException("the lock of the local cluster directory was lost");
        }
    }

    private static DirectoryLock acquire(Path directory) {
        ReentrantLock threadLock = IN_THIS_JVM.computeIfAbsent(directory, ignored -> new ReentrantLock());
        threadLock.lock();
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new DirectoryLock(threadLock, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            threadLock.unlock();
            throw new LocalClusterException(LocalClusterException.Reason.STATE_FILE, ErrorCode.INTERNAL,
                    "cannot lock the local cluster directory " + directory + ": " + e.getMessage(),
                    "check that the directory is writable", e);
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case.
        } finally {
            threadLock.unlock();
        }
    }
}
