package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the optional {@code settings:} mapping; each absent setting takes its default. */
final class SettingsParser {
    private static final Set<String> KEYS = Set.of("sync_replication", "default_partitions", "max_replication_lag_bytes", "node_timeout",
            "failover");
    private static final Set<String> FAILOVER_KEYS = Set.of("automatic", "after");
    /** A whole number and a unit: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    /** Above this a hung node holds the others' prepared transactions and locks for too long to be a timeout. */
    static final Duration MAXIMUM_NODE_TIMEOUT = Duration.ofHours(1);

    private final ParseContext context;

    SettingsParser(ParseContext context) {
        this.context = context;
    }

    SettingsSpec parse(MappingNode mapping) {
        MappingReader reader = MappingReader.open(mapping, "settings", KEYS, context);
        boolean syncReplication = reader.bool("sync_replication").orElse(false);
        int defaultPartitions = reader.integer("default_partitions").orElse(SettingsSpec.DEFAULT_PARTITIONS);
        long maxLag = reader.integer("max_replication_lag_bytes").map(Integer::longValue).orElse(SettingsSpec.DEFAULT_MAX_REPLICATION_LAG_BYTES);
        Duration nodeTimeout = nodeTimeout(reader).orElse(SettingsSpec.DEFAULT_NODE_TIMEOUT);
        FailoverSettings failover = reader.mapping("failover").map(this::failover).orElse(FailoverSettings.DEFAULTS);
        return new SettingsSpec(syncReplication, defaultPartitions, maxLag, nodeTimeout, failover, reader.positions());
    }

    /** The settings of a spec without a {@code settings:} block, positioned at the spec's start. */
    SettingsSpec defaults() {
        return new SettingsSpec(false, SettingsSpec.DEFAULT_PARTITIONS, SettingsSpec.DEFAULT_MAX_REPLICATION_LAG_BYTES,
                SettingsSpec.DEFAULT_NODE_TIMEOUT, FailoverSettings.DEFAULTS, new Positions(context.startOfFile(), Map.of()));
    }

    /** {@code node_timeout}: a duration with its unit, positive and at most {@link #MAXIMUM_NODE_TIMEOUT}; a bad one is reported. */
    private static Optional<Duration> nodeTimeout(MappingReader reader) {
        Optional<String> text = reader.string("node_timeout");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> duration = parseDuration(text.get().strip());
        if (duration.isEmpty()) {
            reader.reject("node_timeout", "node_timeout \"" + text.get() + "\" is not a duration; write a whole number and a unit,"
                    + " e.g. 500ms, 30s, 2m");
        } else if (duration.get().isZero() || duration.get().compareTo(MAXIMUM_NODE_TIMEOUT) > 0) {
            reader.reject("node_timeout", "node_timeout is " + text.get().strip() + "; it must be more than 0 and at most 1h"
                    + " (how long shardman waits for a node to answer before it names the node and stops)");
            return Optional.empty();
        }
        return duration;
    }

    /** {@code failover: {automatic, after}}; a bad {@code after} is reported (see {@link FailoverSettings#MINIMUM_AFTER} for why its bounds). */
    private FailoverSettings failover(MappingNode mapping) {
        MappingReader reader = MappingReader.open(mapping, "settings.failover", FAILOVER_KEYS, context);
        boolean automatic = reader.bool("automatic").orElse(false);
        Optional<String> text = reader.string("after");
        if (text.isEmpty()) {
            return new FailoverSettings(automatic, FailoverSettings.DEFAULT_AFTER);
        }
        Optional<Duration> after = parseDuration(text.get().strip());
        if (after.isEmpty()) {
            reader.reject("after", "after \"" + text.get() + "\" is not a duration; write a whole number and a unit, e.g. 30s, 2m");
        } else if (after.get().compareTo(FailoverSettings.MINIMUM_AFTER) < 0 || after.get().compareTo(FailoverSettings.MAXIMUM_AFTER) > 0) {
            reader.reject("after", "after is " + text.get().strip() + "; it must be at least 5s (a restart or a network blip must not"
                    + " fail a node over: a lost node never comes back) and at most 24h");
            after = Optional.empty();
        }
        return new FailoverSettings(automatic, after.orElse(FailoverSettings.DEFAULT_AFTER));
    }

    static Optional<Duration> parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        });
    }
}
