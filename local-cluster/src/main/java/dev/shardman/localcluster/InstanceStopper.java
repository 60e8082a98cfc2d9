package dev.shardman.localcluster;

import dev.shardman.model.ErrorCode;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        return new InstanceStop(instance.name(), instance.port(), StopOutcome.STOPPED, OptionalLong.of(process.pid()));
    }

    private static boolean exited(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
