package dev.shardman.model.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypeNameSyntaxTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bigint | bigint",
            "INT | int",
            "int4 | int4",
            "numeric(10,2) | numeric",
            "numeric( 10 , -2 ) | numeric",
            "text[] | text",
            "integer[3][] | integer",
            "int ARRAY | int",
            "int array[4] | int",
            "double precision | double precision",
            "Double   Precision[] | double precision",
            "character varying(20) | character varying",
            "char varying | char varying",
            "character(3) | character",
            "varchar(255)[] | varchar",
            "bit varying(8) | bit varying",
            "bit(4) | bit",
            "timestamp with time zone | timestamp with time zone",
            "timestamp(3) without time zone | timestamp without time zone",
            "timestamptz(6) | timestamptz",
            "time with time zone[] | time with time zone",
            "interval | interval",
            "interval day to second(3) | interval day to second",
            "interval year | interval year",
            "interval(6) | interval",
            "public.my_type | public.my_type",
            "\"My Schema\".\"My \"\"Type\"\"\" | My Schema.My \"Type\"",
            "geometry(Point, 4326) | geometry",
            "vector(1536) | vector",
            "pg_catalog.int8 | pg_catalog.int8",
            "uuid | uuid",
            "jsonb | jsonb",
            "bigserial | bigserial",
            "tÿpe | tÿpe",
    })
    void acceptsTypeNames(String type, String baseName) {
        assertEquals(baseName, TypeNameSyntax.parse(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "int; drop table acct", "int;", "int -- comment", "text /* c */", "int)", "(int)",
            "varchar(10", "varchar(10))", "numeric(10,)", "numeric(,2)", "int drop", "int, text",
            "'text'", "\"unterminated", "\"\"", "a.b.c", "a.", ".a", "double", "double float",
            "timestamp with zone", "timestamp with time", "interval day to week", "int[", "int[a]", "int]",
            "bigint generated always as identity", "int default 0", "int not null", "text collate \"C\"",
            "int\nselect 1", "numeric(1-2)", "int[][", "public.\"x\"(3", "e'x'", "$1", "1int",
            "varchar(n'1')", "int4 array array",
    })
    void refusesEverythingElse(String type) {
        assertTrue(TypeNameSyntax.problem(type).isPresent(), () -> "accepted: " + type);
    }
}
