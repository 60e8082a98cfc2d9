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
            "failover", "balance");
    private static final Set<String> FAILOVER_KEYS = Set.of("automatic", "after");
    private static final Set<String> BALANCE_KEYS = Set.of("by", "tolerance", "base_bytes");
    /** A whole percentage: {@code 10%}. */
    private static final Pattern PERCENTAGE = Pattern.compile("(\\d{1,3})%");
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
        BalanceSettings balance = reader.mapping("balance").map(this::balance).orElse(BalanceSettings.DEFAULTS);
        return new SettingsSpec(syncReplication, defaultPartitions, maxLag, nodeTimeout, failover, balance, reader.positions());
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

    /** {@code balance: {by, tolerance, base_bytes}}; a bad value is reported and takes its default. */
    private BalanceSettings balance(MappingNode mapping) {
        MappingReader reader = MappingReader.open(mapping, "settings.balance", BALANCE_KEYS, context);
        BalanceSettings.Mode by = BalanceSettings.DEFAULTS.by();
        Optional<String> word = reader.string("by");
        if (word.isPresent()) {
            Optional<BalanceSettings.Mode> mode = java.util.Arrays.stream(BalanceSettings.Mode.values())
                    .filter(value -> value.keyword().equals(word.get().strip())).findFirst();
            if (mode.isEmpty()) {
                reader.reject("by", "by \"" + word.get() + "\" is not a balance mode; write count (partitions per node) or size (bytes per node)");
            }
            by = mode.orElse(by);
        }
        int tolerance = reader.string("tolerance").flatMap(text -> tolerance(reader, text)).orElse(BalanceSettings.DEFAULT_TOLERANCE_PERCENT);
        long baseBytes = BalanceSettings.DEFAULT_BASE_BYTES;
        Optional<Integer> base = reader.integer("base_bytes");
        if (base.isPresent() && base.get() < 0) {
            reader.reject("base_bytes", "base_bytes is " + base.get() + "; it must be 0 or more (bytes added to every partition unit's size)");
        } else if (base.isPresent()) {
            baseBytes = base.get();
        }
        return new BalanceSettings(by, tolerance, baseBytes);
    }

    /** {@code tolerance}: a whole percentage from 1% to 100%; a bad one is reported. */
    private static Optional<Integer> tolerance(MappingReader reader, String text) {
        Matcher matcher = PERCENTAGE.matcher(text.strip());
        int percent = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
        if (percent < 1 || percent > BalanceSettings.MAXIMUM_TOLERANCE_PERCENT) {
            reader.reject("tolerance", "tolerance \"" + text + "\" is not a percentage from 1% to 100%; write a whole number and %, e.g. 10%");
            return Optional.empty();
        }
        return Optional.of(percent);
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
