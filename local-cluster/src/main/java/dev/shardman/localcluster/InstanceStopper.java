package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stops one instance with a fast shutdown (sessions rolled back, checkpoint, exit) and waits until
 * its postmaster has exited. A server this JVM started is stopped through zonky
 * ({@code pg_ctl stop -m fast}, wrapped like its start), which also releases zonky's lock; any other
 * server gets SIGINT, which is what {@code pg_ctl stop -m fast} sends, so {@code down} needs no
 * binaries and works from any process.
 */
final class InstanceStopper {
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(60);
    private static final Duration IMMEDIATE_SHUTDOWN_WAIT = Duration.ofSeconds(15);
    private static final Duration REAP_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;

    private InstanceStopper() {
    }

    static InstanceStop stop(InstanceLayout instance) {
        Optional<Postmaster> postmaster = Postmaster.find(instance.dataDirectory());
        if (postmaster.isEmpty()) {
            return new InstanceStop(instance.name(), instance.port(), StopOutcome.NOT_RUNNING, OptionalLong.empty());
        }
        ProcessHandle process = postmaster.get().process();
        if (!InstanceStarter.stopStartedInThisJvm(instance.dataDirectory())) {
            Signals.send(process.pid(), Signals.FAST_SHUTDOWN);
        }
        if (!exited(process, FAST_SHUTDOWN_WAIT)) {
            // A fast shutdown that hangs (e.g. a stuck checkpoint) must not leave the server behind.
            Signals.send(process.pid(), Signals.FAST_SHUTDOWN);
            Signals.send(process.pid(), Signals.IMMEDIATE_SHUTDOWN);
            if (!exited(process, IMMEDIATE_SHUTDOWN_WAIT)) {
                throw new LocalClusterException(LocalClusterException.Reason.STOP_FAILED, ErrorCode.NODE_FAILURE,
                        instance.name() + " (postmaster pid " + process.pid() + ", port " + instance.port()
                                + ") did not stop",
                        "see " + instance.logFile() + "; stop it with kill -QUIT " + process.pid());
            }
        }
        awaitReaped(process);
        return new InstanceStop(instance.name(), instance.port(), StopOutcome.STOPPED, OptionalLong.of(process.pid()));
    }

    /**
     * Polls rather than {@code onExit()}: for a process that is not our child, Java's onExit polls
     * at growing intervals, and it counts a zombie as alive; an exited postmaster stays a zombie
     * until whoever adopted it (init, or a container's process 1) reaps it, which can take seconds.
     */
    private static boolean exited(ProcessHandle process, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive() || isZombie(process.pid())) {
                return true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !process.isAlive() || isZombie(process.pid());
    }

    /**
     * The server is down once its postmaster exits, but until the zombie is reaped it still shows
     * in {@code ps} and {@code pgrep -f postgres}; wait a little for that so that "down" means gone.
     */
    private static void awaitReaped(ProcessHandle process) {
        long deadline = System.nanoTime() + REAP_WAIT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Linux: the state letter follows the command name in /proc/<pid>/stat; Z is a zombie. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException e) {
            // Gone already, or not Linux: isAlive() decides.
            return false;
        }
    }
}
