package dev.shardman.applier.metadata;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MigrationsTest {
    @Test
    void versionsStartAtOneWithoutGapsAndEachHasItsResource() {
        for (int index = 0; index < Migrations.ALL.size(); index++) {
            Migration migration = Migrations.ALL.get(index);
            assertEquals(index + 1, migration.version());
            assertFalse(Migrations.sql(migration).isBlank(), migration.resource());
        }
        assertEquals(Migrations.ALL.size(), Migrations.latest());
    }

    @Test
    void migrationsNeverCreateTheSchemaOrTheVersionTable() {
        for (Migration migration : Migrations.ALL) {
            String sql = Migrations.sql(migration);
            assertFalse(sql.contains("CREATE SCHEMA"), migration.resource());
            assertFalse(sql.contains("schema_version ("), migration.resource());
        }
    }
}
