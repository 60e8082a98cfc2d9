package dev.shardman.model.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultExpressionSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "0", "''", "'it''s'", "now()", "1+1", "(1 + (2 * 3))", "'a;b'", "'-- not a comment'", "'/* nor this */'",
            "E'it\\'s; fine'", "E'back\\\\'", "$$a;b$$", "$tag$ ; ) ( -- $tag$", "\"weird;name\"()", "ARRAY[1, 2]",
            "'{}'::text[]", "gen_random_uuid()", "current_timestamp", "'x'::character varying(3)", "a$b", "1 - -1",
            "x - 1", "$1", "U&'d\\0061t'", "nextval('s')",
    })
    void acceptsOneExpression(String expression) {
        assertTrue(DefaultExpressionSyntax.problem(expression).isEmpty(),
                () -> expression + ": " + DefaultExpressionSyntax.problem(expression).orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "0); drop table acct; --", "0; drop table acct", "0;", "1 -- c", "1 /* c */", "(1", "1)", "[1",
            "'unterminated", "E'escaped quote\\'", "\"unterminated", "$$unterminated", "$a$ x $b$", "'a' ; 'b'",
            "f(1));(", "'x'/* c */",
    })
    void refusesAnythingThatCouldEndTheStatement(String expression) {
        assertTrue(DefaultExpressionSyntax.problem(expression).isPresent(), () -> "accepted: " + expression);
    }

    @Test
    void namesTheFunctionsItCallsOutsideLiterals() {
        assertEquals(Set.of("nextval", "coalesce"),
                DefaultExpressionSyntax.lex("coalesce(NEXTVAL ('s'), 'nextval(x)', $$currval(y)$$)").calledFunctions());
        assertEquals(Set.of("nextval"), DefaultExpressionSyntax.lex("pg_catalog.nextval('s'::regclass)").calledFunctions());
    }
}
