package dev.shardman.model.conninfo;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConninfoTest {
    @Test
    void keywordValuePairsKeepTheirOrderWithQuotesAndEscapesRemoved() {
        Conninfo conninfo = Conninfo.parse("host = db1  port=5433 dbname='my db' application_name=a\\ b options='-c x=\\'y\\''");

        assertEquals(List.of("host", "port", "dbname", "application_name", "options"), conninfo.keywords());
        assertEquals(Optional.of("my db"), conninfo.value("dbname"));
        assertEquals(Optional.of("a b"), conninfo.value("application_name"));
        assertEquals(Optional.of("-c x='y'"), conninfo.value("options"));
        assertEquals("db1", conninfo.host());
        assertEquals(5433, conninfo.port());
    }

    @Test
    void absentValuesTakeLibpqDefaults() {
        Conninfo conninfo = Conninfo.parse("user=app");

        assertEquals("localhost", conninfo.host());
        assertEquals(5432, conninfo.port());
        assertEquals(Optional.of("app"), conninfo.user());
        assertEquals(Optional.of("app"), conninfo.dbname(), "dbname defaults to the user");
        assertEquals(Optional.empty(), Conninfo.parse("").dbname());
    }

    @Test
    void uriGivesTheSamePairs() {
        Conninfo conninfo = Conninfo.parse("postgresql://app:p%40ss@db1:5433/sales?sslmode=require&application_name=x");

        assertEquals(List.of("user", "password", "host", "port", "dbname", "sslmode", "application_name"), conninfo.keywords());
        assertEquals(Optional.of("p@ss"), conninfo.password());
        assertEquals("db1", conninfo.host());
        assertEquals(5433, conninfo.port());
        assertEquals(Optional.of("sales"), conninfo.dbname());
    }

    @Test
    void uriWithSeveralHostsAndAnIpv6Address() {
        Conninfo conninfo = Conninfo.parse("postgres://[::1]:5433,db2/postgres");

        assertEquals(Optional.of("::1,db2"), conninfo.value("host"));
        assertEquals(Optional.of("5433,"), conninfo.value("port"));
    }

    @Test
    void referenceMayStandInAUriPassword() {
        Conninfo conninfo = Conninfo.parse("postgresql://app:${env:APP_PW}@db1/sales");

        assertEquals(List.of("APP_PW"), conninfo.environmentVariables());
        assertEquals(Optional.of("db1"), conninfo.value("host"));
        assertEquals(Optional.of("s3 cret'"), conninfo.resolve(Map.of("APP_PW", "s3 cret'")).password());
    }

    @Test
    void resolveReplacesEveryReference() {
        Conninfo conninfo = Conninfo.parse("host=${env:DB_HOST} port=${env:DB_PORT} user=app password=${env:APP_PW}");

        Conninfo resolved = conninfo.resolve(Map.of("DB_HOST", "db1", "DB_PORT", "6432", "APP_PW", "x y"));

        assertEquals(List.of("DB_HOST", "DB_PORT", "APP_PW"), conninfo.environmentVariables());
        assertEquals("db1", resolved.host());
        assertEquals(6432, resolved.port());
        assertEquals("host=db1 port=6432 user=app password='x y'", resolved.toKeywordValueString());
        assertEquals(List.of(), resolved.environmentVariables());
    }

    @Test
    void resolveNamesTheUnsetVariable() {
        Conninfo conninfo = Conninfo.parse("host=db1 password=${env:APP_PW}");

        ShardmanException thrown = assertThrows(ShardmanException.class, () -> conninfo.resolve(Map.of()));

        assertEquals(ErrorCode.INVALID_INPUT, thrown.code());
        assertEquals("the environment variable APP_PW is not set (used by ${env:APP_PW} in the value of \"password\")",
                thrown.summary());
    }

    @Test
    void resolveRefusesAnEmptyVariable() {
        Conninfo conninfo = Conninfo.parse("host=db1 password=${env:APP_PW}");

        ShardmanException thrown = assertThrows(ShardmanException.class, () -> conninfo.resolve(Map.of("APP_PW", "")));

        assertEquals(ErrorCode.INVALID_INPUT, thrown.code());
        assertEquals("the environment variable APP_PW is empty (used by ${env:APP_PW} in the value of \"password\")", thrown.summary());
    }

    @Test
    void passwordNeverAppearsInPrintedForms() {
        Conninfo conninfo = Conninfo.parse("host=db1 user=app password=hunter2 sslpassword='key pass'");

        assertEquals("host=db1 user=app password=*** sslpassword=***", conninfo.redacted());
        assertEquals(conninfo.redacted(), conninfo.toString());
        assertFalse(conninfo.toString().contains("hunter2"));
        assertEquals(Optional.of("hunter2"), conninfo.password());
    }

    @Test
    void keywordValueStringParsesBackToTheSamePairs() {
        Conninfo conninfo = Conninfo.parse("host=db1 password='it\\'s a \\\\ test' dbname=''");

        assertEquals(conninfo, Conninfo.parse(conninfo.toKeywordValueString()));
        assertEquals(Optional.of("it's a \\ test"), conninfo.password());
        assertEquals(Optional.of(""), conninfo.value("dbname"));
    }

    @Test
    void syntaxErrorsNeverQuoteASecret() {
        List<String> invalid = List.of(
                "host=db1 password='hunter2",
                "host=db1 password=hunter2${env:X",
                "host=db1 password=${hunter2}",
                "host=db1 password=hunter2 password=hunter2",
                "postgresql://app:hunter2@db1/x?hunter2");
        for (String raw : invalid) {
            ShardmanException thrown = assertThrows(ShardmanException.class, () -> Conninfo.parse(raw), raw);
            assertFalse(thrown.getMessage().contains("hunter2"), thrown.getMessage());
        }
    }

    @Test
    void unknownKeywordSuggestsTheClosestOne() {
        ShardmanException thrown = assertThrows(ShardmanException.class, () -> Conninfo.parse("hots=db1"));

        assertEquals("unknown connection keyword \"hots\"; did you mean \"host\"?", thrown.summary());
    }

    @Test
    void malformedInputIsRefused() {
        assertRefused("host=db1 port", "missing \"=\" after \"port\"");
        assertRefused("dbname='x", "the quoted value of \"dbname\" is not closed");
        assertRefused("port=0", "the port \"0\" is not a number from 1 to 65535");
        assertRefused("host=a host=b", "\"host\" is given twice");
        assertRefused("host=${env:9X}", "the value of \"host\" references the environment variable \"9X\", which is not"
                + " a valid name (letters, digits and _, not starting with a digit)");
        assertRefused("host=${HOST}", "the value of \"host\" has ${HOST} that is not of the form ${env:NAME}");
        assertRefused("postgresql://db1/x?%zz=1", "the URI has a \"%\" that is not followed by two hex digits");
    }

    @Test
    void referenceInThePortIsAcceptedUntilResolved() {
        Conninfo conninfo = Conninfo.parse("port=${env:PORT}");

        assertEquals("${env:PORT}", conninfo.portText());
        assertThrows(ShardmanException.class, conninfo::port);
        assertTrue(conninfo.resolve(Map.of("PORT", "7000")).port() == 7000);
    }

    private static void assertRefused(String raw, String summary) {
        ShardmanException thrown = assertThrows(ShardmanException.class, () -> Conninfo.parse(raw), raw);
        assertEquals(ErrorCode.INVALID_INPUT, thrown.code());
        assertEquals(summary, thrown.summary(), raw);
    }
}
