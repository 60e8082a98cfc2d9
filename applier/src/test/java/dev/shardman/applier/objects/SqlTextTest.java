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

    /** Pairs of a spec's default and what PostgreSQL 15's pg_get_expr printed for it. */
    @Test
    void defaultsMatchTheCatalogsSpellingWhateverTheWhiteSpaceBetweenSymbols() {
        assertTrue(SqlText.sameDefault(Optional.of("1+1"), Optional.of("(1 + 1)")));
        assertTrue(SqlText.sameDefault(Optional.of("2*(3+4)"), Optional.of("(2 * (3 + 4))")));
        assertTrue(SqlText.sameDefault(Optional.of("'it''s ' || 'x'"), Optional.of("('it''s '::text || 'x'::text)")));
        assertTrue(SqlText.sameDefault(Optional.of("upper( 'x' )"), Optional.of("upper('x'::text)")));
        assertTrue(SqlText.sameDefault(Optional.of("current_timestamp"), Optional.of("CURRENT_TIMESTAMP")));
        assertTrue(SqlText.sameDefault(Optional.of("'-1'::integer"), Optional.of("'-1'::integer")));
        assertTrue(SqlText.sameDefault(Optional.of("nextval('s')"), Optional.of("nextval('s'::regclass)")));
    }

    @Test
    void whiteSpaceStillSeparatesWordsAndCountsInsideLiterals() {
        assertFalse(SqlText.sameDefault(Optional.of("'a b'"), Optional.of("'ab'::text")));
        assertFalse(SqlText.sameDefault(Optional.of("'a  b'"), Optional.of("'a b'::text")));
        assertFalse(SqlText.sameDefault(Optional.of("x is null"), Optional.of("xis null")));
        assertFalse(SqlText.sameDefault(Optional.of("-1"), Optional.of("'-1'::integer")));
        assertFalse(SqlText.sameDefault(Optional.of("CAST('5' AS integer)"), Optional.of("5")));
    }
}
