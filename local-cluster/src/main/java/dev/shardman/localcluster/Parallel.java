package dev.shardman.localcluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one task per item on a few threads and returns the results in item order. Starting
 * servers is mostly waiting (initdb, fsync-free I/O, the startup wait), so even two cores gain.
 * When tasks fail, the first failure is thrown with the others attached as suppressed.
 */
final class Parallel {
    static final int MAX_THREADS = 4;

    private Parallel() {
    }

    static <T, R> List<R> map(List<T> items, Function<T, R> task) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(items.size(), MAX_THREADS), runnable -> {
            Thread thread = new Thread(runnable, "shardman-local-cluster");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(executor.submit(() -> task.apply(item)));
            }
            return collect(futures);
        } finally {
            executor.shutdownNow();
        }
    }

    private static <R> List<R> collect(List<Future<R>> futures) {
        List<R> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the local cluster", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}
