package dev.shardman.applier.connect;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A small pool of daemon threads for reading several nodes at once, shut down when closed. It adds no bound of its
 * own: every task must be bounded by its sessions (a node session has the node timeout as its socket timeout).
 */
public final class NodeThreads implements AutoCloseable {
    public static final int MAXIMUM_THREADS = 8;

    private final ExecutorService executor;

    /** {@code tasks} sizes the pool (at most {@link #MAXIMUM_THREADS}); {@code name} names its threads in a thread dump. */
    public NodeThreads(String name, int tasks) {
        this(name, tasks, MAXIMUM_THREADS);
    }

    /** A thread for each of {@code tasks}, however many: for work that waits until every node has reached a point. */
    public static NodeThreads oneEach(String name, int tasks) {
        return new NodeThreads(name, tasks, Math.max(1, tasks));
    }

    private NodeThreads(String name, int tasks, int maximum) {
        executor = Executors.newFixedThreadPool(Math.max(1, Math.min(maximum, tasks)), runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    /** {@code work} on every item at once; the results in the items' order. */
    public static <K, R> List<R> map(String name, List<K> items, Function<K, R> work) {
        try (NodeThreads threads = new NodeThreads(name, items.size())) {
            List<Future<R>> futures = items.stream().map(item -> threads.submit(() -> work.apply(item))).toList();
            return futures.stream().map(NodeThreads::join).toList();
        }
    }

    /** The task's result; its unchecked exception is thrown as it is, so callers see the failure they would see inline. */
    public static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException failure) {
            if (failure.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (failure.getCause() instanceof Error error) {
                throw error;
            }
            throw new ShardmanException(ErrorCode.INTERNAL, "a node read failed: " + failure.getCause(), "", failure.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new ShardmanException(ErrorCode.INTERNAL, "interrupted while reading the nodes", "");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
