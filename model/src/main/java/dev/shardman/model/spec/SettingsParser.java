package dev.shardman.model.spec;

import org.snakeyaml.engine.v2.nodes.MappingNode;

import java.util.Map;
import java.util.Set;

/** Reads the optional {@code settings:} mapping; each absent setting takes its default. */
final class SettingsParser {
    private static final Set<String> KEYS = Set.of("sync_replication", "default_partitions", "max_replication_lag_bytes");

    private final ParseContext context;

    SettingsParser(ParseContext context) {
        this.context = context;
    }

    SettingsSpec parse(MappingNode mapping) {
        MappingReader reader = MappingReader.open(mapping, "settings", KEYS, context);
        boolean syncReplication = reader.bool("sync_replication").orElse(false);
        int defaultPartitions = reader.integer("default_partitions").orElse(SettingsSpec.DEFAULT_PARTITIONS);
        long maxLag = reader.integer("max_replication_lag_bytes").map(Integer::longValue).orElse(SettingsSpec.DEFAULT_MAX_REPLICATION_LAG_BYTES);
        return new SettingsSpec(syncReplication, defaultPartitions, maxLag, reader.positions());
    }

    /** The settings of a spec without a {@code settings:} block, positioned at the spec's start. */
    SettingsSpec defaults() {
        return new SettingsSpec(false, SettingsSpec.DEFAULT_PARTITIONS, SettingsSpec.DEFAULT_MAX_REPLICATION_LAG_BYTES, new Positions(context.startOfFile(), Map.of()));
    }
}
