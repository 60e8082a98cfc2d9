package dev.shardman.applier.objects;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlStatementTest {
    @Test
    void aSummaryIsTheFirstLineMarkedWhenSomethingIsLeftOut() {
        assertEquals("ALTER TABLE t ADD COLUMN c int", SqlStatement.plain("ALTER TABLE t ADD COLUMN c int").summary());
        assertEquals("DO $shardman$ ...", SqlStatement.plain("DO $shardman$\nDECLARE\n  x int;\nBEGIN NULL; END\n$shardman$").summary());
        assertEquals("x".repeat(200) + " ...", SqlStatement.plain("x".repeat(300)).summary());
        assertEquals("CREATE USER MAPPING ... OPTIONS (password '<redacted>')",
                new SqlStatement("CREATE USER MAPPING ... OPTIONS (password 'secret')", "CREATE USER MAPPING ... OPTIONS (password '<redacted>')").summary());
    }
}
