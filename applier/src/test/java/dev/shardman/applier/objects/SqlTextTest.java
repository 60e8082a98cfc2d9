package dev.shardman.applier.objects;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlTextTest {
    @Test
    void aliasesMatchFormatType() {
        assertTrue(SqlText.sameType("int8", "bigint"));
        assertTrue(SqlText.sameType("varchar(200)", "character varying(200)"));
        assertTrue(SqlText.sameType("char(2)", "character(2)"));
        assertTrue(SqlText.sameType("timestamptz", "timestamp with time zone"));
        assertTrue(SqlText.sameType("timestamptz(3)", "timestamp(3) with time zone"));
        assertTrue(SqlText.sameType("numeric(12, 2)", "numeric(12,2)"));
        assertTrue(SqlText.sameType("INT[]", "integer[]"));
        assertFalse(SqlText.sameType("integer", "bigint"));
        assertFalse(SqlText.sameType("varchar(20)", "character varying(200)"));
    }

    @Test
    void defaultsIgnoreCatalogCastsAndKeywordCaseButNotLiteralCase() {
        assertTrue(SqlText.sameDefault(Optional.of("''"), Optional.of("''::text")));
        assertTrue(SqlText.sameDefault(Optional.of("'none'"), Optional.of("'none'::character varying")));
        assertTrue(SqlText.sameDefault(Optional.of("NOW()"), Optional.of("now()")));
        assertTrue(SqlText.sameDefault(Optional.of("(0)"), Optional.of("0")));
        assertFalse(SqlText.sameDefault(Optional.of("'A'"), Optional.of("'a'::text")));
        assertFalse(SqlText.sameDefault(Optional.of("0"), Optional.empty()));
    }
}
