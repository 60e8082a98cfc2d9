package dev.shardman.applier.exec;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecStatementTest {
    @Test
    void oneStatementIsKeptAsWrittenButItsFinalSemicolonWithSemicolonsInsideQuotesBodiesAndComments() {
        String function = """
                CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE plpgsql AS $body$
                BEGIN
                    RAISE NOTICE 'adding; one';  -- a comment; with a semicolon
                    RETURN i + 1;
                END
                $body$;
                """;

        assertEquals(function.strip().substring(0, function.strip().length() - 1), ExecStatement.parse(function).sql());
        assertEquals("SELECT ';' /* ; */", ExecStatement.parse("SELECT ';' /* ; */").sql());
    }

    @Test
    void severalStatementsAreRefusedBeforeAnythingIsSent() {
        ShardmanException two = assertThrows(ShardmanException.class,
                () -> ExecStatement.parse("CREATE TABLE t (id int); DROP TABLE customers"));

        assertEquals(ErrorCode.INVALID_INPUT, two.code());
        assertEquals("the SQL holds 2 statements; exec runs exactly one; nothing was run", two.summary());
    }

    @Test
    void aCommentAfterTheLastSemicolonIsNoStatement() {
        assertEquals("SELECT 1", ExecStatement.parse("SELECT 1; -- done").sql());
        assertEquals("SELECT 1", ExecStatement.parse("-- first\nSELECT 1; /* done */\n").sql().lines().toList().get(1));
        assertEquals("the SQL holds no statement; nothing was run", assertThrows(ShardmanException.class,
                () -> ExecStatement.parse("-- nothing\n/* at all */;")).summary());
    }

    @Test
    void anEmptyStatementIsRefused() {
        assertEquals("the SQL holds no statement; nothing was run", assertThrows(ShardmanException.class, () -> ExecStatement.parse(" ; ")).summary());
    }

    @Test
    void replicationSlotAndOriginFunctionsAreRefusedByName() {
        ShardmanException slot = assertThrows(ShardmanException.class,
                () -> ExecStatement.parse("SELECT pg_drop_replication_slot('shardman_sub_1_2')"));
        ShardmanException origin = assertThrows(ShardmanException.class,
                () -> ExecStatement.parse("SELECT pg_replication_origin_advance('pg_1', '0/0')"));

        assertEquals(ErrorCode.REFUSED, slot.code());
        assertTrue(slot.detail().contains("survives a rollback"), slot.detail());
        assertEquals(ErrorCode.REFUSED, origin.code());
    }
}
