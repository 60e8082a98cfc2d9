package dev.shardman.applier.metadata;

import static java.util.Objects.requireNonNull;

/** One schema version: its number (from 1, no gaps) and the SQL resource {@code V<version>__<name>.sql} beside this class. */
record Migration(int version, String name) {
    Migration {
        requireNonNull(name, "name is null");
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1: " + version);
        }
    }

    String resource() {
        return "V" + version + "__" + name + ".sql";
    }
}
