package dev.shardman.applier.metadata;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Who holds the cluster lock, as recorded in {@code shardman.lock_holder}: the operating-system user,
 * host and process id of the shardman process, its shardlord session ({@code backendPid}), the
 * command and plan, and when it took the lock.
 */
public record LockHolder(
        String user,
        String host,
        long processId,
        int backendPid,
        String command,
        Optional<String> planId,
        Instant startedAt) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    public LockHolder {
        requireNonNull(user, "user is null");
        requireNonNull(host, "host is null");
        requireNonNull(command, "command is null");
        requireNonNull(planId, "planId is null");
        requireNonNull(startedAt, "startedAt is null");
    }

    /** This process as a holder of a lock taken now by the shardlord session {@code backendPid}. */
    static LockHolder thisProcess(String command, Optional<String> planId, int backendPid) {
        return new LockHolder(System.getProperty("user.name", "unknown"), hostName(), ProcessHandle.current().pid(), backendPid,
                command, planId, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** For messages: {@code apply of root@host pid 1234 since 10:31:02 UTC} (the date is added when it is not today). */
    public String describe() {
        boolean today = LocalDate.ofInstant(startedAt, ZoneOffset.UTC).equals(LocalDate.now(ZoneOffset.UTC));
        return command + " of " + user + "@" + host + " pid " + processId + " since "
                + (today ? TIME : DATE_TIME).format(startedAt) + " UTC";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
